/**
 * The fields of a page's filter bar (`useFilter` keeps their values in the address): a labelled select whose
 * first choice means "no filter", and a labelled search box. A value in the address that is not among the choices
 * (a link made before the list changed) stays selectable rather than silently replaced.
 */

/** A choice: its value, shown as it is, or a value and the words shown for it. */
export type FilterChoice = string | readonly [value: string, label: string];

export function SelectFilter({
  label,
  value,
  choices,
  onChange,
  anyLabel,
}: {
  label: string;
  value: string;
  choices: readonly FilterChoice[];
  onChange: (value: string) => void;
  /** The first choice, meaning no filter (`""`); none when every choice is a filter. */
  anyLabel?: string;
}) {
  const pairs = choices.map((choice) => (typeof choice === 'string' ? ([choice, choice] as const) : choice));
  const known = value === '' || pairs.some(([option]) => option === value);
  return (
    <label>
      {label}
      <select value={value} onChange={(event) => onChange(event.target.value)}>
        {anyLabel !== undefined && <option value="">{anyLabel}</option>}
        {!known && <option value={value}>{value}</option>}
        {pairs.map(([option, words]) => (
          <option key={option} value={option}>
            {words}
          </option>
        ))}
      </select>
    </label>
  );
}

export function SearchFilter({
  label,
  value,
  onChange,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {label}
      <input type="search" value={value} onChange={(event) => onChange(event.target.value)} />
    </label>
  );
}
