import { describe, expect, it } from 'vitest';
import { makeAction, makeProfile, makeResource } from '../../../test/factories/profile.factory.js';
import { AppError } from '../../core/errors.js';
import type { ProviderCall } from '../provider.js';
import { ManualProvider } from './manual-provider.js';

const profile = makeProfile({ name: 'console', provider: { type: 'manual', settings: {} } });
const resource = makeResource({ name: 'merchant-console', profile: 'console' });
const call: ProviderCall = {
  requestId: 'req-1',
  identity: 'alice',
  resource,
  profile,
  action: makeAction(),
  params: {},
  expiresAt: 0,
};

describe('ManualProvider', () => {
  const provider = new ManualProvider();

  it('is the manual provider and accepts any resource settings', () => {
    expect(provider.type).toBe('manual');
    expect(provider.validateConfig()).toEqual([]);
  });

  it('refuses to grant: a human provisioner confirms instead', async () => {
    const error = await provider.grant(call).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toContain("a provisioner confirms request 'req-1'");
  });

  it('refuses to execute: manual profiles provision access only', async () => {
    const error = await provider.execute(call).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'invalid' });
  });

  it('ends a grant at once, twice as well, and observes and lists nothing', async () => {
    await expect(provider.revoke()).resolves.toBeUndefined();
    await expect(provider.revoke()).resolves.toBeUndefined();
    await expect(provider.observe()).resolves.toEqual({});
    await expect(provider.listManaged()).resolves.toEqual([]);
  });
});
