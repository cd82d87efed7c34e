/**
 * Benchmark runner (`npm run bench`, or `npm run bench -- check drift` for some of them): runs every
 * `bench/NAME.bench.ts` one after another and prints the README table of results against the SPEC §7 targets,
 * with the machine and date. It reports; it does not gate: a missed target still exits 0. A benchmark that
 * throws (for example because two engines disagree) is reported as failed and makes the exit code 1.
 */
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchResult } from './harness.js';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const SUFFIX = '.bench.ts';

interface BenchModule {
  run(): Promise<BenchResult[]>;
}

function isBenchModule(value: unknown): value is BenchModule {
  return typeof value === 'object' && value !== null && typeof (value as { run?: unknown }).run === 'function';
}

/** `check`, `check.bench.ts` and `bench/check.bench.ts` all name the same benchmark. */
function benchName(arg: string): string {
  const base = path.basename(arg);
  return base.endsWith(SUFFIX) ? base.slice(0, -SUFFIX.length) : base;
}

async function selectBenchmarks(args: readonly string[]): Promise<string[]> {
  const available = (await readdir(BENCH_DIR))
    .filter((file) => file.endsWith(SUFFIX))
    .map(benchName)
    .sort();
  if (args.length === 0) return available;
  const wanted = args.map(benchName);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `no benchmark named ${unknown.map((n) => `'${n}'`).join(', ')}; available: ${available.join(', ') || '(none)'}`,
    );
  }
  return [...new Set(wanted)];
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function table(rows: readonly BenchResult[]): string {
  const lines = [
    '| benchmark | result | reference (same run) | target | met |',
    '|---|---|---|---|---|',
    ...rows.map(
      (row) =>
        `| ${cell(row.name)} | ${cell(row.result)} | ${cell(row.reference ?? '—')} | ${cell(row.target)} | ${row.met ? 'yes' : 'no'} |`,
    ),
  ];
  return lines.join('\n');
}

function machine(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  return `${model}, ${cpus.length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.arch()}`;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
  let names: string[];
  try {
    names = await selectBenchmarks(args);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const rows: BenchResult[] = [];
  let failed = false;
  for (const name of names) {
    const started = process.hrtime.bigint();
    process.stderr.write(`running ${name} …\n`);
    try {
      const module: unknown = await import(pathToFileURL(path.join(BENCH_DIR, `${name}${SUFFIX}`)).href);
      if (!isBenchModule(module)) throw new Error(`bench/${name}${SUFFIX} does not export run()`);
      const results = await module.run();
      rows.push(...results);
    } catch (error) {
      failed = true;
      const message = error instanceof Error ? error.message : String(error);
      console.error(`benchmark '${name}' failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
      rows.push({ name, result: `failed: ${message}`, target: '—', met: false });
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stderr.write(`finished ${name} in ${seconds.toFixed(1)} s\n`);
  }
  console.log(table(rows));
  console.log('');
  console.log(`Machine: ${machine()}. Date: ${new Date().toISOString()}.`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
