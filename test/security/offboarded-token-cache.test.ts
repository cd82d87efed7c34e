/**
 * Attack on the authentication cache (issue 11): an identity offboarded by a policy load (`disabled: true` in the
 * YAML, loaded from a directory or applied as a change set) kept authenticating with an API token the cache had
 * verified, for up to the cache's TTL, because only the API's disable route told the cache to forget. Now every
 * offboarding announces the disabled identity after commit, and the cache forgets it whoever disabled it.
 */
import { expect, it } from 'vitest';
import { issueToken } from '../../src/features/access/tokens.verbs.js';
import { loadPolicy } from '../../src/features/governance/policy-sync.js';
import { BearerAuthenticator } from '../../src/http/auth/authenticator.js';
import { CachedAuthenticator } from '../../src/http/auth/cached-authenticator.js';
import { buildApp } from '../../src/http/app.js';
import { parsePolicySources } from '../../src/policy/load.js';
import { SYSTEM_OPERATOR } from '../../src/policy/model.js';
import { readPolicyDirectory } from '../../src/policy/policy-files.js';
import { createTestApp, EXAMPLE_POLICY_DIR } from '../app/harness.js';
import { describeEachDialect } from '../store/dialects.js';

describeEachDialect('a token cached before its identity was offboarded by a policy load', (ctx) => {
  it('is refused at its next call, not once the cache entry lapses', async () => {
    const t = await createTestApp(ctx);
    // The monotonic clock of the cache stands still: its 5 s TTL never runs out during this test.
    const auth = new CachedAuthenticator(new BearerAuthenticator(t.app), {
      monotonicNow: () => 0,
      now: () => t.clock.now(),
    });
    const http = buildApp({ app: t.app, auth, ready: () => true });
    await http.ready();
    const issued = await issueToken({ app: t.app, actor: SYSTEM_OPERATOR, input: { identity: 'erin', ttl: '1h' } });
    const me = () =>
      http.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${issued.token}` } });
    expect((await me()).statusCode).toBe(200);

    const { sources } = await readPolicyDirectory(EXAMPLE_POLICY_DIR);
    const documents = sources.map((s) =>
      s.path.endsWith('identities.yaml')
        ? {
            path: s.path,
            text: s.text.replace(
              /^(spec: \{ kind: human,.*email: erin@acmepay\.example.*) \}$/m,
              '$1, disabled: true }',
            ),
          }
        : s,
    );
    const policy = parsePolicySources(documents).policy;
    if (!policy) throw new Error('the edited example policy does not load');
    const summary = await loadPolicy({
      app: t.app,
      actor: SYSTEM_OPERATOR,
      input: { policy, documents, location: 'x' },
    });
    expect(summary.offboarded.map((o) => o.identity)).toEqual(['erin']);

    expect((await me()).statusCode).toBe(401);
    await http.close();
  });
});
