/**
 * The console's typed client is generated from `/openapi.json` (issue 12), so the document must pass Redocly's
 * recommended rules with no error: every operation with an `operationId`, `servers`, public routes marked
 * `security: []`, schemas well formed.
 */
import { createConfig, lintFromString, type NormalizedProblem } from '@redocly/openapi-core';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

function describeProblem(problem: NormalizedProblem): string {
  return `${problem.ruleId} at ${problem.location[0]?.pointer ?? '#'}: ${problem.message}`;
}

describeEachDialect('the OpenAPI document under Redocly lint', (ctx) => {
  let t: HttpTestApp;
  let problems: readonly NormalizedProblem[];
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
    problems = await lintFromString({
      source: JSON.stringify(t.http.swagger()),
      absoluteRef: 'openapi.json',
      config: await createConfig({ extends: ['recommended'] }),
    });
  });

  it('has no error under the recommended rules', () => {
    expect(problems.filter((problem) => problem.severity === 'error').map(describeProblem)).toEqual([]);
  });

  it('warns only that a public route without input (health, readiness) answers no 4xx, which is true', () => {
    const document = t.http.swagger() as { paths: Record<string, Record<string, { security?: unknown[] }>> };
    const unexpected = problems
      .filter((problem) => problem.severity === 'warn')
      .filter((problem) => {
        const [, path = '', method = ''] =
          /^#\/paths\/([^/]+)\/([a-z]+)\//.exec(problem.location[0]?.pointer ?? '') ?? [];
        const operation = document.paths[path.replaceAll('~1', '/')]?.[method];
        return problem.ruleId !== 'operation-4xx-response' || operation?.security?.length !== 0;
      });
    expect(unexpected.map(describeProblem)).toEqual([]);
  });
});
