/**
 * The form for an action's parameters, generated from the action's JSON schema: a string is a text field (with
 * its pattern and length), a number or integer a number field, a boolean a checkbox, an enum a select; required
 * properties are marked. Any other shape (an object, an array, a schema that is not a plain object of properties)
 * is a JSON text area, parsed before the request is sent. The browser checks only what it can say clearly; the
 * server validates the parameters against the same schema and stays the judge.
 */
import { useId } from 'react';

type JsonSchema = Readonly<Record<string, unknown>>;

/** What the user typed, per property (or under `JSON_KEY` when the whole form is one JSON text area). */
export type RawParams = Readonly<Record<string, string | boolean>>;

const JSON_KEY = '';

type Field =
  | { kind: 'string'; name: string; required: boolean; schema: JsonSchema }
  | { kind: 'number'; name: string; required: boolean; schema: JsonSchema; integer: boolean }
  | { kind: 'boolean'; name: string; required: boolean; schema: JsonSchema }
  | { kind: 'enum'; name: string; required: boolean; schema: JsonSchema; options: readonly unknown[] }
  | { kind: 'json'; name: string; required: boolean; schema: JsonSchema };

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The fields of `schema`, or undefined when it is not an object of properties (then one JSON text area). */
export function fieldsOf(schema: JsonSchema | undefined): Field[] | undefined {
  if (schema === undefined) return [];
  if (schema.type !== 'object' || !isObject(schema.properties)) return undefined;
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  return Object.entries(schema.properties).map(([name, raw]): Field => {
    const property = isObject(raw) ? raw : {};
    const base = { name, required: required.has(name), schema: property };
    if (Array.isArray(property.enum)) return { ...base, kind: 'enum', options: property.enum };
    if (property.type === 'string') return { ...base, kind: 'string' };
    if (property.type === 'number' || property.type === 'integer')
      return { ...base, kind: 'number', integer: property.type === 'integer' };
    if (property.type === 'boolean') return { ...base, kind: 'boolean' };
    return { ...base, kind: 'json' };
  });
}

/**
 * The parameters to send, or the problems per field (keyed by property name; the whole-form text area by '').
 * Empty optional fields are left out.
 */
export function paramsFrom(
  schema: JsonSchema | undefined,
  raw: RawParams,
): { params?: Record<string, unknown>; problems: Record<string, string> } {
  const fields = fieldsOf(schema);
  const problems: Record<string, string> = {};
  if (fields === undefined) {
    const text = String(raw[JSON_KEY] ?? '').trim();
    if (text === '') return { problems };
    try {
      const parsed: unknown = JSON.parse(text);
      if (!isObject(parsed)) return { problems: { [JSON_KEY]: 'The parameters must be a JSON object.' } };
      return { params: { ...parsed }, problems };
    } catch {
      return { problems: { [JSON_KEY]: 'This is not valid JSON.' } };
    }
  }
  const params: Record<string, unknown> = {};
  for (const field of fields) {
    const value = raw[field.name];
    if (field.kind === 'boolean') {
      if (value === true || field.required) params[field.name] = value === true;
      continue;
    }
    const text = typeof value === 'string' ? value.trim() : '';
    if (text === '') {
      if (field.required) problems[field.name] = 'Required.';
      continue;
    }
    if (field.kind === 'number') {
      const number = Number(text);
      if (!Number.isFinite(number) || (field.integer && !Number.isInteger(number)))
        problems[field.name] = field.integer ? 'A whole number.' : 'A number.';
      else params[field.name] = number;
    } else if (field.kind === 'enum') {
      const option = field.options.find((candidate) => JSON.stringify(candidate) === text);
      if (option === undefined) problems[field.name] = 'Choose one of the options.';
      else params[field.name] = option;
    } else if (field.kind === 'json') {
      try {
        params[field.name] = JSON.parse(text) as unknown;
      } catch {
        problems[field.name] = 'This is not valid JSON.';
      }
    } else {
      const pattern = typeof field.schema.pattern === 'string' ? field.schema.pattern : undefined;
      if (pattern !== undefined && !safeTest(pattern, text)) problems[field.name] = `Must match ${pattern}.`;
      else params[field.name] = text;
    }
  }
  return Object.keys(problems).length > 0 ? { problems } : { params, problems };
}

/** A pattern the browser cannot compile is left to the server. */
function safeTest(pattern: string, text: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(text);
  } catch {
    return true;
  }
}

function FieldProblem({ id, problem }: { id: string; problem: string | undefined }) {
  return problem === undefined ? null : (
    <p id={id} className="field-problem">
      {problem}
    </p>
  );
}

function ParamField({
  field,
  value,
  onChange,
  problem,
}: {
  field: Field;
  value: string | boolean | undefined;
  onChange: (value: string | boolean) => void;
  problem: string | undefined;
}) {
  const id = useId();
  const description = typeof field.schema.description === 'string' ? field.schema.description : undefined;
  const described = [description !== undefined ? `${id}-help` : '', problem !== undefined ? `${id}-problem` : '']
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    'aria-describedby': described || undefined,
    'aria-invalid': problem !== undefined,
  };
  const text = typeof value === 'string' ? value : '';
  const label = (
    <label htmlFor={id}>
      {field.name} {field.required && <span className="required-mark">(required)</span>}
    </label>
  );
  let control;
  if (field.kind === 'boolean') {
    return (
      <div className="param-field">
        <label className="checkbox" htmlFor={id}>
          <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          {field.name}
        </label>
        {description !== undefined && (
          <p id={`${id}-help`} className="help">
            {description}
          </p>
        )}
      </div>
    );
  } else if (field.kind === 'enum') {
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)} required={field.required}>
        <option value="">{field.required ? 'Choose…' : '(none)'}</option>
        {field.options.map((option) => (
          <option key={JSON.stringify(option)} value={JSON.stringify(option)}>
            {typeof option === 'string' ? option : JSON.stringify(option)}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'number') {
    const bound = (key: string) => (typeof field.schema[key] === 'number' ? (field.schema[key] as number) : undefined);
    control = (
      <input
        type="number"
        {...common}
        value={text}
        min={bound('minimum')}
        max={bound('maximum')}
        step={field.integer ? 1 : 'any'}
        required={field.required}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else if (field.kind === 'json') {
    control = (
      <textarea
        {...common}
        rows={3}
        value={text}
        spellCheck={false}
        required={field.required}
        placeholder="JSON"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  } else {
    const maxLength = typeof field.schema.maxLength === 'number' ? field.schema.maxLength : undefined;
    control = (
      <input
        {...common}
        value={text}
        maxLength={maxLength}
        required={field.required}
        spellCheck={false}
        autoComplete="off"
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="param-field">
      {label}
      {control}
      {description !== undefined && (
        <p id={`${id}-help`} className="help">
          {description}
        </p>
      )}
      <FieldProblem id={`${id}-problem`} problem={problem} />
    </div>
  );
}

export function ParamsForm({
  schema,
  raw,
  onChange,
  problems,
}: {
  schema: JsonSchema | undefined;
  raw: RawParams;
  onChange: (raw: RawParams) => void;
  /** Shown once the user tried to submit. */
  problems: Record<string, string>;
}) {
  const id = useId();
  const fields = fieldsOf(schema);
  if (fields !== undefined && fields.length === 0) return null;
  return (
    <fieldset className="params">
      <legend>Parameters</legend>
      {fields === undefined ? (
        <div className="param-field">
          <label htmlFor={id}>Parameters as JSON</label>
          <textarea
            id={id}
            rows={6}
            spellCheck={false}
            value={String(raw[JSON_KEY] ?? '')}
            aria-describedby={`${id}-help`}
            aria-invalid={problems[JSON_KEY] !== undefined}
            onChange={(e) => onChange({ ...raw, [JSON_KEY]: e.target.value })}
          />
          <p id={`${id}-help`} className="help">
            A JSON object matching the action&apos;s schema: <code>{JSON.stringify(schema)}</code>
          </p>
          <FieldProblem id={`${id}-problem`} problem={problems[JSON_KEY]} />
        </div>
      ) : (
        fields.map((field) => (
          <ParamField
            key={field.name}
            field={field}
            value={raw[field.name]}
            problem={problems[field.name]}
            onChange={(value) => onChange({ ...raw, [field.name]: value })}
          />
        ))
      )}
    </fieldset>
  );
}
