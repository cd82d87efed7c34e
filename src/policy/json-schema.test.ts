import { readFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { policyJsonSchema } from './json-schema.js';

async function fixtureDocuments(): Promise<unknown[]> {
  const files = [
    'identities.yaml',
    'groups.yaml',
    'roles.yaml',
    'profiles/base.yaml',
    'profiles/prod.yaml',
    'resources.yml',
  ];
  const documents: unknown[] = [];
  for (const file of files) {
    const text = await readFile(`test/fixtures/valid-policy/${file}`, 'utf8');
    documents.push(...parseAllDocuments(text).map((doc) => doc.toJS()));
  }
  return documents;
}

function compileSchema() {
  return new Ajv2020({ allErrors: true, strict: true }).compile(policyJsonSchema());
}

describe('the policy JSON Schema', () => {
  it('is a strict, valid draft 2020-12 schema', () => {
    expect(policyJsonSchema().$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(() => compileSchema()).not.toThrow();
  });

  it('accepts every document of every kind in the valid fixture', async () => {
    const validate = compileSchema();
    const documents = await fixtureDocuments();
    const kinds = new Set(documents.map((doc) => (doc as { kind: string }).kind));
    expect([...kinds].sort()).toEqual([
      'Group',
      'Identity',
      'Notifier',
      'Resource',
      'ResourceProfile',
      'Role',
      'SeparationOfDuties',
    ]);
    for (const document of documents) expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });

  it('accepts a ContextSource of each type and refuses a credential written in YAML', () => {
    const validate = compileSchema();
    const envelope = { apiVersion: 'countersign.dev/v1', kind: 'ContextSource', metadata: { name: 'src' } };
    const specs = [
      { type: 'pagerduty', baseUrl: 'https://api.pagerduty.com', tokenEnv: 'PD', schedules: ['P1'] },
      { type: 'opsgenie', baseUrl: 'https://api.opsgenie.com', tokenEnv: 'OG', schedule: 's1', cacheTtl: '0s' },
      { type: 'jira', baseUrl: 'https://x.atlassian.net', auth: 'basic', userEnv: 'U', tokenEnv: 'T', tickets: true },
      { type: 'http', baseUrl: 'https://cmdb', path: '/s/{resource}', fields: { owner: '$.owner' } },
    ];
    for (const spec of specs) expect(validate({ ...envelope, spec }), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...envelope, spec: { ...specs[0], token: 'secret' } })).toBe(false);
  });

  it.each([
    ['an unknown field', { kind: 'Identity', spec: { kind: 'human', emial: 'a@example.com' } }],
    ['a typo in a duty', { kind: 'Role', spec: { duties: ['aprove'], profiles: ['*'] } }],
    ['an unknown kind', { kind: 'Team', spec: {} }],
    ['a name with upper-case letters', { kind: 'Group', metadata: { name: 'Ops' }, spec: {} }],
    ['a malformed duration', { kind: 'ResourceProfile', spec: { certification: { every: '90 days' } } }],
    ['an unknown provider type', { kind: 'ResourceProfile', spec: { provider: { type: 'mysql' } } }],
  ])('rejects a document with %s', (_what, override) => {
    const document = { apiVersion: 'countersign.dev/v1', metadata: { name: 'x' }, ...override };
    expect(compileSchema()(document)).toBe(false);
  });
});
