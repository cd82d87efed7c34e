/**
 * The suite is split into projects by folder (vitest.config.ts). A test file no project includes would never
 * run, silently; one that two include would run twice. This asks vitest itself which files each project runs.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { REPO_ROOT } from './cli/run-cli.js';

interface Listed {
  readonly file: string;
  readonly projectName: string;
}

function listedByVitest(): Promise<Listed[]> {
  const vitest = join(createRequire(import.meta.url).resolve('vitest/package.json'), '..', 'vitest.mjs');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [vitest, 'list', '--filesOnly', '--json'],
      { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`vitest list failed: ${stderr}`));
        else resolve(JSON.parse(stdout) as Listed[]);
      },
    );
  });
}

function testFilesUnder(folder: string): string[] {
  return readdirSync(join(REPO_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.test.ts'))
    .map((entry) => relative(REPO_ROOT, join(entry.parentPath, entry.name)));
}

let listed: Listed[] = [];
beforeAll(async () => {
  listed = await listedByVitest();
});

it('every test file in src/ and test/ belongs to exactly one project', () => {
  const projectsOf = new Map<string, string[]>();
  for (const { file, projectName } of listed) {
    const path = relative(REPO_ROOT, file);
    projectsOf.set(path, [...(projectsOf.get(path) ?? []), projectName]);
  }
  const onDisk = [...testFilesUnder('src'), ...testFilesUnder('test')].sort();
  const unclaimed = onDisk.filter((file) => !projectsOf.has(file));
  const twice = [...projectsOf].filter(([, projects]) => projects.length > 1).map(([file]) => file);
  expect({ unclaimed, twice }).toEqual({ unclaimed: [], twice: [] });
  expect([...projectsOf.keys()].sort()).toEqual(onDisk);
});

it('each project has its npm script, test:<project>, which runs that project alone', () => {
  const { scripts } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const projects = [...new Set(listed.map((entry) => entry.projectName))].sort();
  expect(projects).toEqual(['cli', 'console', 'e2e', 'faults', 'gateway', 'http', 'security', 'store', 'unit']);
  for (const project of projects) expect(scripts[`test:${project}`]).toBe(`vitest run --project ${project}`);
});
