/**
 * `countersign policy …`: work on a policy directory on this machine — validate it, print the JSON Schema for
 * editors, explain it in words. `plan`, `apply` and `changes` (against a server) are in
 * `policy-changes.commands.ts` and load the directory with `readDirectory` first.
 */
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../core/errors.js';
import { policySodProblems } from '../decide/policy-sod.decide.js';
import { policyJsonSchema } from '../policy/json-schema.js';
import { parsePolicySources, type PolicySource } from '../policy/load.js';
import { formatProblem, readPolicyDirectory, type PolicyLoadResult } from '../policy/policy-files.js';
import type { PolicySet } from '../policy/model.js';
import { EXIT_DENIED, EXIT_OK, type CommandResult, type RunCommand } from './exit-codes.js';
import { printError, printJson, printLines, type OutputOptions } from './output.js';
import { explainPolicy } from '../decide/policy-explain.js';
import { renderPolicySummary } from './policy-explain.text.js';

/** A policy directory as read (the documents `plan` and `apply` send) and as loaded. */
export interface PolicyDirectory {
  readonly sources: readonly PolicySource[];
  readonly result: PolicyLoadResult;
}

/** Reads and loads a policy directory; a path that is not a directory is a usage error. */
export async function readDirectory(dir: string): Promise<PolicyDirectory> {
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    isDirectory = false;
  }
  if (!isDirectory) throw new AppError('invalid', `policy directory '${dir}' does not exist or is not a directory`);
  const read = await readPolicyDirectory(dir);
  if (read.problems.length > 0) return { sources: [], result: { problems: read.problems } };
  return { sources: read.sources, result: parsePolicySources(read.sources) };
}

async function loadDirectory(dir: string): Promise<PolicyLoadResult> {
  return (await readDirectory(dir)).result;
}

/** Every problem as `file:line:col: message` on stderr (or `{ ok: false, problems }` with `--json`). */
export function reportProblems(result: PolicyLoadResult, options: OutputOptions): void {
  if (options.json) printJson({ ok: false, problems: result.problems });
  else {
    for (const problem of result.problems) printError(formatProblem(problem));
    printError(`${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} found`);
  }
}

/**
 * `policy validate DIR`: 0 when the directory loads cleanly and creates no static separation-of-duties conflict,
 * 1 with every problem otherwise (conflicts reported at the rule that forbids them).
 */
export async function validateCommand(dir: string, options: OutputOptions, now: number): CommandResult {
  const result = await loadDirectory(dir);
  if (result.problems.length > 0 || !result.policy) {
    reportProblems(result, options);
    return EXIT_DENIED;
  }
  const conflicts = policySodProblems(result.policy, now);
  if (conflicts.length > 0) {
    reportProblems({ problems: conflicts }, options);
    return EXIT_DENIED;
  }
  if (options.json) printJson({ ok: true, problems: [] });
  else printLines([`policy '${dir}' is valid: ${describeCounts(result.policy)}`]);
  return EXIT_OK;
}

function describeCounts(policy: PolicySet): string {
  return [
    `${policy.identities.size} identities`,
    `${policy.groups.size} groups`,
    `${policy.roles.size} roles`,
    `${policy.sodRules.length} SoD rules`,
    `${policy.profiles.size} profiles`,
    `${policy.resources.size} resources`,
    `${policy.notifiers.size} notifiers`,
    ...(policy.contextSources.size > 0 ? [`${policy.contextSources.size} context sources`] : []),
  ].join(', ');
}

/** `policy explain DIR`: the newcomer's summary; exits 1 with the problems when the policy does not load. */
export async function explainCommand(dir: string, options: OutputOptions, now: number): CommandResult {
  const result = await loadDirectory(dir);
  if (result.problems.length > 0 || !result.policy) {
    reportProblems(result, options);
    return EXIT_DENIED;
  }
  const summary = explainPolicy(result.policy, now);
  if (options.json) printJson(summary);
  else printLines(renderPolicySummary(summary));
  return EXIT_OK;
}

/** Adds the `policy` command group. `run` wraps each action so that its exit code reaches `main.ts`. */
export function registerPolicyCommands(program: Command, run: RunCommand): void {
  const policy = program.command('policy').description('validate, explain and publish policy as code');

  policy
    .command('validate')
    .description('load a policy directory and report every problem as file:line:col: message')
    .argument('<dir>', 'directory of policy YAML files')
    .option('--json', 'print { ok, problems } as JSON')
    .action((dir: string, options: OutputOptions) => run(() => validateCommand(dir, options, Date.now())));

  policy
    .command('schema')
    .description('print the JSON Schema of policy documents (for editors)')
    .action(() =>
      run(() => {
        printJson(policyJsonSchema());
        return Promise.resolve(EXIT_OK);
      }),
    );

  policy
    .command('explain')
    .description('summarise a policy in words: profiles, actions, approval rules, who may do what')
    .argument('<dir>', 'directory of policy YAML files')
    .option('--json', 'print the summary as JSON')
    .action((dir: string, options: OutputOptions) => run(() => explainCommand(dir, options, Date.now())));
}
