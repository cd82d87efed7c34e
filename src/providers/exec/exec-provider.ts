/**
 * The `exec` provider (SPEC §2.11): runs programs named by argv templates in policy, never through a shell.
 * - `grant` runs the action's `grant.argv` and returns a handle holding what `revokeArgv` needs later (the
 *   action, the request id, the expiry and the parameters that template names); no credential.
 * - `revoke` runs `revokeArgv` when the action has one (nothing to do otherwise). The program must be
 *   idempotent itself: Countersign may run it again after a failure or a crash.
 * - `execute` runs `execute.argv`; `observe` runs the profile's `observeArgv` and reads stdout as a JSON object;
 *   `listManaged` runs the profile's `list.argv` and reads the credentials it prints (managed-list.ts).
 * Templates are filled by `argv-template.ts` (one placeholder never becomes two arguments; values cannot turn
 * into options). Each run has a timeout (action `timeout`, else provider `timeout`, else 30 s) after which
 * the process group is killed, output bounded to `maxOutputBytes` per stream (default 64 KiB), and an
 * environment of `PATH` plus the variables the deployment lists in `passEnv`: never Countersign's own secrets.
 * A non-zero exit, a signal or a timeout is `provider_failed` carrying the run's summary.
 */
import type { JsonObject } from '../../audit/audit-event.js';
import { parseDurationSeconds } from '../../core/duration.js';
import { AppError } from '../../core/errors.js';
import type { ActionDefinition, Resource, ResourceProfile } from '../../policy/model.js';
import type { ExecuteResult, GrantResult, ManagedCredential, Provider, ProviderCall } from '../provider.js';
import { fillArgv, paramNamesIn, templateProblems, type TemplateValues } from './argv-template.js';
import { parseManagedList } from './managed-list.js';
import { runCommand, type RunCommandResult } from './run-command.js';

export const DEFAULT_EXEC_TIMEOUT_SECONDS = 30;
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

export interface ExecProviderOptions {
  /** Names of variables copied from `env` into every child's environment, besides `PATH`. */
  readonly passEnv?: readonly string[];
  /** Where `PATH` and `passEnv` are read (default `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Time between SIGTERM and SIGKILL on timeout (default 2000 ms). */
  readonly killGraceMs?: number;
}

/** What a grant handle of this provider holds. */
interface ExecHandle {
  readonly action: string;
  readonly requestId: string;
  readonly expiresAt: number;
  readonly params: Readonly<Record<string, unknown>>;
}

function settingsOf(value: unknown): Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function argvOf(settings: Readonly<Record<string, unknown>>, key: string, where: string): readonly string[] {
  const argv = settings[key];
  if (!Array.isArray(argv) || argv.length === 0 || !argv.every((item) => typeof item === 'string')) {
    throw new AppError('invalid', `${where} has no '${key}' to run`);
  }
  return argv as string[];
}

function summaryOf(run: RunCommandResult): JsonObject {
  return {
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    truncated: run.truncated,
    durationMs: run.durationMs,
    stdoutBytes: run.stdoutBytes,
    stderrBytes: run.stderrBytes,
  };
}

export class ExecProvider implements Provider {
  readonly type = 'exec' as const;
  readonly #environment: Readonly<Record<string, string>>;
  readonly #killGraceMs: number | undefined;

  constructor(options: ExecProviderOptions = {}) {
    const source = options.env ?? process.env;
    const environment: Record<string, string> = { PATH: source.PATH ?? DEFAULT_PATH };
    for (const name of options.passEnv ?? []) {
      const value = source[name];
      if (value !== undefined) environment[name] = value;
    }
    this.#environment = environment;
    this.#killGraceMs = options.killGraceMs;
  }

  validateConfig(_resource: Resource, profile: ResourceProfile): readonly string[] {
    const problems: string[] = [];
    const settings = profile.provider.settings;
    problems.push(...this.#durationProblems(settings.timeout, `profile '${profile.name}' timeout`));
    const max = settings.maxOutputBytes;
    if (max !== undefined && !(typeof max === 'number' && Number.isInteger(max) && max > 0)) {
      problems.push(`profile '${profile.name}' maxOutputBytes must be a positive integer`);
    }
    if (settings.observeArgv !== undefined) {
      problems.push(...templateProblems(settings.observeArgv, ['resource'], `profile '${profile.name}' observeArgv`));
    }
    if (settings.list !== undefined) {
      const list = settingsOf(settings.list);
      problems.push(...templateProblems(list.argv, ['resource'], `profile '${profile.name}' list.argv`));
      problems.push(...this.#durationProblems(list.timeout, `profile '${profile.name}' list.timeout`));
    }
    for (const action of profile.actions.values()) {
      const where = `action '${action.name}'`;
      if (action.grant !== undefined) {
        problems.push(
          ...templateProblems(action.grant.argv, ['params', 'resource', 'request', 'grant'], `${where} grant.argv`),
        );
        if (action.grant.revokeArgv !== undefined) {
          problems.push(
            ...templateProblems(
              action.grant.revokeArgv,
              ['params', 'resource', 'request', 'grant'],
              `${where} revokeArgv`,
            ),
          );
        }
        problems.push(...this.#durationProblems(action.grant.timeout, `${where} timeout`));
      }
      if (action.execute !== undefined) {
        problems.push(
          ...templateProblems(action.execute.argv, ['params', 'resource', 'request'], `${where} execute.argv`),
        );
        problems.push(...this.#durationProblems(action.execute.timeout, `${where} timeout`));
      }
    }
    return problems;
  }

  async grant(call: ProviderCall): Promise<GrantResult> {
    const settings = settingsOf(call.action.grant);
    const template = argvOf(settings, 'argv', `action '${call.action.name}'`);
    const params = checkedParams(call.action, call.params);
    await this.#runOrFail(
      fillArgv(template, {
        params,
        resource: call.resource,
        requestId: call.requestId,
        grantExpiresAt: call.expiresAt,
      }),
      call.profile,
      settings,
      `grant for action '${call.action.name}' on resource '${call.resource.name}'`,
    );
    return { handle: this.intendedHandle(call), expiresAt: call.expiresAt };
  }

  /** The handle follows from the call: what `revokeArgv` needs (action, request id, expiry, named parameters). */
  intendedHandle(call: ProviderCall): JsonObject {
    const settings = settingsOf(call.action.grant);
    const revokeArgv = Array.isArray(settings.revokeArgv) ? (settings.revokeArgv as string[]) : [];
    const kept: Record<string, unknown> = {};
    for (const name of paramNamesIn(revokeArgv)) if (Object.hasOwn(call.params, name)) kept[name] = call.params[name];
    const handle: ExecHandle = {
      action: call.action.name,
      requestId: call.requestId,
      expiresAt: call.expiresAt,
      params: kept,
    };
    return handle as unknown as JsonObject;
  }

  async revoke(handle: JsonObject, resource: Resource, profile: ResourceProfile): Promise<void> {
    const parsed = parseHandle(handle);
    const action = profile.actions.get(parsed.action);
    if (action === undefined) {
      throw new AppError('invalid', `profile '${profile.name}' has no action '${parsed.action}' to revoke`);
    }
    const settings = settingsOf(action.grant);
    if (settings.revokeArgv === undefined) return;
    const template = argvOf(settings, 'revokeArgv', `action '${action.name}'`);
    const values: TemplateValues = {
      params: parsed.params,
      resource,
      requestId: parsed.requestId,
      grantExpiresAt: parsed.expiresAt,
    };
    await this.#runOrFail(
      fillArgv(template, values),
      profile,
      settings,
      `revoke for action '${action.name}' on resource '${resource.name}'`,
    );
  }

  async execute(call: ProviderCall): Promise<ExecuteResult> {
    const settings = settingsOf(call.action.execute);
    const template = argvOf(settings, 'argv', `action '${call.action.name}'`);
    const params = checkedParams(call.action, call.params);
    const run = await this.#runOrFail(
      fillArgv(template, { params, resource: call.resource, requestId: call.requestId }),
      call.profile,
      settings,
      `action '${call.action.name}' on resource '${call.resource.name}'`,
    );
    return { output: { stdout: run.stdout, stderr: run.stderr }, summary: summaryOf(run) };
  }

  async observe(resource: Resource, profile: ResourceProfile): Promise<Record<string, unknown>> {
    const settings = profile.provider.settings;
    const template = argvOf(settings, 'observeArgv', `profile '${profile.name}'`);
    const run = await this.#runOrFail(
      fillArgv(template, { resource }),
      profile,
      {},
      `observe of resource '${resource.name}'`,
    );
    if (run.truncated) {
      throw new AppError(
        'provider_failed',
        `observe of resource '${resource.name}' printed more than ${this.#maxOutputBytes(profile)} bytes`,
        { summary: summaryOf(run) },
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(run.stdout);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new AppError('provider_failed', `observe of resource '${resource.name}' did not print a JSON object`, {
        summary: summaryOf(run),
      });
    }
    return parsed as Record<string, unknown>;
  }

  cannotList(_resource: Resource, profile: ResourceProfile): string | undefined {
    return profile.provider.settings.list === undefined ? `profile '${profile.name}' has no 'list' command` : undefined;
  }

  /**
   * Runs the profile's `list.argv` and reads the credentials it prints (see managed-list.ts), so reconciliation
   * can remove the orphans. Without `list` the target keeps no inventory Countersign can read: nothing is listed.
   */
  async listManaged(resource: Resource, profile: ResourceProfile): Promise<readonly ManagedCredential[]> {
    const list = profile.provider.settings.list;
    if (list === undefined) return [];
    const settings = settingsOf(list);
    const template = argvOf(settings, 'argv', `profile '${profile.name}' list`);
    const what = `list of resource '${resource.name}'`;
    const run = await this.#runOrFail(fillArgv(template, { resource }), profile, settings, what);
    if (run.truncated) {
      throw new AppError('provider_failed', `${what} printed more than ${this.#maxOutputBytes(profile)} bytes`, {
        summary: summaryOf(run),
      });
    }
    const parsed = parseManagedList(run.stdout);
    if ('problem' in parsed) {
      throw new AppError('provider_failed', `${what} did not print credentials: ${parsed.problem}`, {
        summary: summaryOf(run),
      });
    }
    return parsed.credentials;
  }

  async #runOrFail(
    argv: readonly string[],
    profile: ResourceProfile,
    actionSettings: Readonly<Record<string, unknown>>,
    what: string,
  ): Promise<RunCommandResult> {
    const timeoutSeconds =
      durationSeconds(actionSettings.timeout) ??
      durationSeconds(profile.provider.settings.timeout) ??
      DEFAULT_EXEC_TIMEOUT_SECONDS;
    const run = await runCommand({
      argv,
      env: this.#environment,
      timeoutMs: timeoutSeconds * 1000,
      maxOutputBytes: this.#maxOutputBytes(profile),
      ...(this.#killGraceMs === undefined ? {} : { killGraceMs: this.#killGraceMs }),
    });
    if (run.timedOut) {
      throw new AppError('provider_failed', `${what} timed out after ${timeoutSeconds}s`, { summary: summaryOf(run) });
    }
    if (run.exitCode !== 0) {
      const how =
        run.exitCode === null ? `was ended by ${run.signal ?? 'a signal'}` : `exited with code ${run.exitCode}`;
      throw new AppError('provider_failed', `${what} ${how}`, { summary: summaryOf(run) });
    }
    return run;
  }

  #maxOutputBytes(profile: ResourceProfile): number {
    const max = profile.provider.settings.maxOutputBytes;
    return typeof max === 'number' && Number.isInteger(max) && max > 0 ? max : DEFAULT_MAX_OUTPUT_BYTES;
  }

  #durationProblems(value: unknown, where: string): string[] {
    return value === undefined || durationSeconds(value) !== undefined ? [] : [`${where} is not a duration`];
  }
}

function durationSeconds(value: unknown): number | undefined {
  return typeof value === 'string' ? parseDurationSeconds(value) : undefined;
}

/** The parameters, checked again against the action's schema: the template never sees unvalidated input. */
function checkedParams(
  action: ActionDefinition,
  params: Readonly<Record<string, unknown>>,
): Readonly<Record<string, unknown>> {
  const problems = action.validateParams(params);
  if (problems.length > 0) {
    throw new AppError('invalid', `parameters of action '${action.name}' are invalid: ${problems.join('; ')}`, {
      problems: [...problems],
    });
  }
  return params;
}

function parseHandle(handle: JsonObject): ExecHandle {
  const { action, requestId, expiresAt, params } = handle;
  if (
    typeof action !== 'string' ||
    typeof requestId !== 'string' ||
    typeof expiresAt !== 'number' ||
    typeof params !== 'object' ||
    params === null ||
    Array.isArray(params)
  ) {
    throw new AppError('invalid', 'the grant handle is not one the exec provider issued');
  }
  return { action, requestId, expiresAt, params };
}
