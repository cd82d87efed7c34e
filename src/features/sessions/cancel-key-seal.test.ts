import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cancelKeySecrets, clientKeyDigest, openCancelTarget, sealCancelTarget } from './cancel-key-seal.js';

const credentialKey = randomBytes(32);
const secrets = cancelKeySecrets(credentialKey);
const target = { host: 'db.internal', port: 5432, processId: 4242, secretKey: -1_234_567_890 };

describe('cancel key sealing', () => {
  it('derives two keys, distinct from each other and from the gateway credential key', () => {
    const keys = [credentialKey, secrets.lookupKey, secrets.sealKey].map((key) => key.toString('hex'));
    expect(new Set(keys).size).toBe(3);
    expect(cancelKeySecrets(credentialKey)).toEqual(secrets);
  });

  it('finds a client key by the same digest on every gateway, and another key by another digest', () => {
    const digest = clientKeyDigest(secrets, 77, -5);
    expect(clientKeyDigest(cancelKeySecrets(credentialKey), 77, -5)).toBe(digest);
    expect(clientKeyDigest(secrets, 77, -4)).not.toBe(digest);
    expect(clientKeyDigest(secrets, 78, -5)).not.toBe(digest);
    expect(clientKeyDigest(cancelKeySecrets(randomBytes(32)), 77, -5)).not.toBe(digest);
  });

  it('opens the upstream key only for its session and client key, under the same gateway key', () => {
    const digest = clientKeyDigest(secrets, 77, -5);
    const sealed = sealCancelTarget(secrets, 'gws_a', digest, target);
    expect(sealed).not.toContain(String(target.secretKey));
    expect(openCancelTarget(secrets, 'gws_a', digest, sealed)).toEqual(target);
    const refusals = [
      () => openCancelTarget(secrets, 'gws_b', digest, sealed),
      () => openCancelTarget(secrets, 'gws_a', clientKeyDigest(secrets, 77, -6), sealed),
      () => openCancelTarget(cancelKeySecrets(randomBytes(32)), 'gws_a', digest, sealed),
      () => openCancelTarget({ ...secrets, sealKey: credentialKey }, 'gws_a', digest, sealed),
      () => openCancelTarget(secrets, 'gws_a', digest, `${sealed.slice(0, -8)}AAAAAAAA`),
    ];
    for (const refused of refusals) expect(refused).toThrow(/session 'gws_.' does not open here/);
  });
});
