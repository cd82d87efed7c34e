/** A profile explained in words over HTTP: the same sentences `countersign policy explain` prints, for its readers. */
import { beforeAll, expect, it } from 'vitest';
import { explainPolicy } from '../../src/decide/policy-explain.js';
import { renderPolicySummary } from '../../src/cli/policy-explain.text.js';
import { profileExplanationViewSchema } from '../../src/features/resources/profile-explain.view.js';
import { describeEachDialect } from '../store/dialects.js';
import { createHttpTestApp, type HttpTestApp } from './http-fixtures.js';

interface Explanation {
  profile: string;
  version: string;
  sections: { title: string; lines: string[] }[];
}

/** The lines `policy explain` prints under one profile, without the header line and the blank line after. */
function cliLinesOf(t: HttpTestApp, name: string): string[] {
  const lines = renderPolicySummary(explainPolicy(t.runtime.loaded, t.clock.now()));
  const start = lines.findIndex((line) => line.startsWith(`profile ${name} `));
  const end = lines.indexOf('', start);
  return lines.slice(start + 1, end);
}

describeEachDialect('a profile explained over HTTP', (ctx) => {
  let t: HttpTestApp;
  beforeAll(async () => {
    t = await createHttpTestApp(ctx);
  });

  it('says in sections what policy explain prints for the profile, line for line', async () => {
    const response = await t.call('GET', '/v1/profiles/postgres-prod/explain', await t.tokenFor('alice'));
    expect(response.statusCode).toBe(200);
    const explanation = profileExplanationViewSchema.parse(response.json()) as Explanation;
    expect(explanation.profile).toBe('postgres-prod');
    expect(explanation.version).toBe(t.runtime.loaded.profiles.get('postgres-prod')?.version);
    expect(explanation.sections.map((s) => s.title)).toEqual(['overview', 'baseline', 'actions', 'access']);
    const printed = explanation.sections.flatMap((s) =>
      s.title === 'baseline' || s.title === 'actions'
        ? [`  ${s.title}:`, ...s.lines.map((line) => `    ${line}`)]
        : s.lines.map((line) => `  ${line}`),
    );
    expect(printed).toEqual(cliLinesOf(t, 'postgres-prod'));
    const access = explanation.sections.find((s) => s.title === 'access')?.lines ?? [];
    expect(access.find((line) => line.startsWith('who can approve: '))).toMatch(/\(role /);
  });

  it('answers not_found for a profile the caller may not see, as reading the profile does', async () => {
    const quinn = await t.tokenFor('quinn');
    const hidden = await t.call('GET', '/v1/profiles/postgres-prod/explain', quinn);
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toMatchObject({ code: 'not_found' });
    expect((await t.call('GET', '/v1/profiles/nope/explain', quinn)).statusCode).toBe(404);
    expect((await t.call('GET', '/v1/profiles/postgres-staging/explain', quinn)).statusCode).toBe(200);
  });

  it('refuses a caller without a token', async () => {
    expect((await t.call('GET', '/v1/profiles/postgres-prod/explain')).statusCode).toBe(401);
  });
});
