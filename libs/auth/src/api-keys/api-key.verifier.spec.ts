import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { CredentialRejection } from '../access/credential-rejection.error';
import { TtlCache } from '../cache/ttl.cache';
import { KeyHasher } from '../keys/key-hasher.service';
import { KeyMaterialService } from '../keys/key-material.service';
import { TenantAccess, TenantDirectory } from '../tenancy/tenant-directory.types';
import { ApiKeyRecord } from './api-key.record';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyVerifier, VerifiedApiKey } from './api-key.verifier';

const SETTINGS: Record<string, unknown> = {
  apiKeyPepper: 'a-test-pepper-of-at-least-thirty-two-characters',
  dataDir: '/nonexistent',
  stage: 'dev',
  authCacheTtlMs: 5000,
};
const config = { get: (name: string) => SETTINGS[name] } as unknown as AppConfigService;

interface Fixture {
  verifier: ApiKeyVerifier;
  keys: KeyMaterialService;
  key: string;
  record: ApiKeyRecord;
  repository: { get: jest.Mock; touch: jest.Mock };
  tenants: { findAccess: jest.Mock; peekAccess: jest.Mock };
}

function fixture(
  options: { peek?: boolean; tenant?: TenantAccess | null; record?: Partial<ApiKeyRecord> } = {},
): Fixture {
  const keys = new KeyMaterialService(config);
  const issued = keys.issueTenantKey();
  const record: ApiKeyRecord = {
    id: issued.id,
    tenantId: 'ten_1',
    keyHash: issued.hash,
    name: 'k',
    displayPrefix: issued.displayPrefix,
    scopes: ['tools:read'],
    status: 'active',
    createdAt: 0,
    updatedAt: 0,
    createdBy: 'admin:adk_1',
    ...options.record,
  };
  const repository = {
    get: jest.fn((id: string) => Promise.resolve(id === record.id ? record : undefined)),
    touch: jest.fn(() => Promise.resolve()),
  };
  const tenant = options.tenant === undefined ? { status: 'active' as const } : options.tenant;
  // Without peek, the directory has nothing in memory and every answer needs a lookup.
  const tenants: Fixture['tenants'] = {
    findAccess: jest.fn(() => Promise.resolve(tenant ?? undefined)),
    peekAccess: jest.fn(() => (options.peek === false ? undefined : tenant)),
  };
  const verifier = new ApiKeyVerifier(
    keys,
    repository as unknown as ApiKeyRepository,
    tenants as unknown as TenantDirectory,
    config,
  );

  return { verifier, keys, key: issued.secret, record, repository, tenants };
}

/** Runs verify as the guard does: a synchronous throw and a rejection both refuse. */
async function verify(verifier: ApiKeyVerifier, key: string): Promise<VerifiedApiKey> {
  return verifier.verify(key);
}

describe(ApiKeyVerifier.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('should read the record once, then answer from the cache synchronously with no HMAC', async () => {
    const { verifier, keys, key, record, repository } = fixture();
    const first = await verifier.verify(key);
    const hmac = jest.spyOn(KeyHasher.prototype, 'hash');
    const derive = jest.spyOn(keys, 'idOf');

    const second = verifier.verify(key);

    expect(second).not.toBeInstanceOf(Promise);
    expect(second).toBe(first);
    expect(hmac).not.toHaveBeenCalled();
    expect(derive).not.toHaveBeenCalled();
    expect(repository.get).toHaveBeenCalledTimes(1);
    expect(repository.get).toHaveBeenCalledWith(record.id);
    expect(first.principal).toEqual({
      kind: 'tenant',
      method: 'api_key',
      tenantId: 'ten_1',
      keyId: record.id,
      scopes: ['tools:read'],
      rateLimitPerMinute: undefined,
    });
    expect(Object.isFrozen(first.principal)).toBe(true);
  });

  it('should key its cache by a fingerprint, never by the key itself or its stored hash', async () => {
    const { verifier, keys, key } = fixture();
    const gets = jest.spyOn(TtlCache.prototype, 'get');
    const sets = jest.spyOn(TtlCache.prototype, 'set');

    await verifier.verify(key);
    await verifier.verify(key);

    const used: unknown[] = [...gets.mock.calls, ...sets.mock.calls].map(
      (call): unknown => call[0] as unknown,
    );
    expect(used).not.toContain(key);
    expect(used).not.toContain(keys.hashIfWellFormed(key, 'tenant'));
    expect(used).toContain(keys.fingerprintIfWellFormed(key, 'tenant'));
  });

  it('should refuse a malformed key synchronously, before any hashing or read', () => {
    const { verifier, key, repository } = fixture();
    const hmac = jest.spyOn(KeyHasher.prototype, 'hash');
    const changed = `${key.slice(0, -1)}${key.endsWith('0') ? '1' : '0'}`;

    for (const bad of [changed, key.slice(1), `${key} `, '']) {
      expect(() => verifier.verify(bad)).toThrow(new CredentialRejection('malformed'));
    }
    expect(hmac).not.toHaveBeenCalled();
    expect(repository.get).not.toHaveBeenCalled();
  });

  it('should remember unknown and revoked keys for the cache bound, reading each once', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const unknown = fixture();
    const other = unknown.keys.issueTenantKey().secret;
    const revoked = fixture({ record: { status: 'revoked' } });

    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(verify(unknown.verifier, other)).rejects.toMatchObject({ reason: 'unknown' });
      await expect(verify(revoked.verifier, revoked.key)).rejects.toMatchObject({
        reason: 'revoked',
      });
    }
    expect(unknown.repository.get).toHaveBeenCalledTimes(1);
    expect(revoked.repository.get).toHaveBeenCalledTimes(1);

    clock.mockReturnValue(now + 5000);
    await expect(verify(revoked.verifier, revoked.key)).rejects.toMatchObject({
      reason: 'revoked',
    });
    expect(revoked.repository.get).toHaveBeenCalledTimes(2);
  });

  it('should refuse a record whose stored hash does not match, in constant time', async () => {
    const { verifier, keys, key, record } = fixture();
    record.keyHash = keys.hashIfWellFormed(keys.issueTenantKey().secret, 'tenant') ?? '';
    const compare = jest.spyOn(keys, 'hashMatches');

    await expect(verify(verifier, key)).rejects.toBeInstanceOf(CredentialRejection);
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it('should check expiry on every request, cached or not', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const { verifier, key } = fixture({ record: { expiresAt: now + 1000 } });
    await verifier.verify(key);

    clock.mockReturnValue(now + 1000);

    expect(() => verifier.verify(key)).toThrow(new CredentialRejection('expired'));
  });

  it('should refuse the keys of a suspended (403) or deleted (401) tenant, cached or not', async () => {
    for (const peek of [true, false]) {
      const suspended = fixture({ peek, tenant: { status: 'suspended' } });
      await expect(verify(suspended.verifier, suspended.key)).rejects.toBeInstanceOf(AppException);
      await expect(verify(suspended.verifier, suspended.key)).rejects.toMatchObject({
        code: 'tenant_suspended',
      });

      const deleted = fixture({ peek, tenant: null });
      await expect(verify(deleted.verifier, deleted.key)).rejects.toMatchObject({
        reason: 'tenant_deleted',
      });
    }
  });

  it('should ask the tenant directory asynchronously when it has nothing in memory', async () => {
    const withoutPeek = fixture({ peek: false });
    await withoutPeek.verifier.verify(withoutPeek.key);
    const second = withoutPeek.verifier.verify(withoutPeek.key);
    expect(second).toBeInstanceOf(Promise);
    await expect(second).resolves.toMatchObject({ principal: { tenantId: 'ten_1' } });

    const notCached = fixture();
    notCached.tenants.peekAccess.mockReturnValue(undefined);
    await notCached.verifier.verify(notCached.key);
    const pending = notCached.verifier.verify(notCached.key);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toMatchObject({ principal: { keyId: notCached.record.id } });
  });

  it("should follow the tenant's default rate limit when the key sets none", async () => {
    const { verifier, key, tenants } = fixture({ tenant: { status: 'active' } });
    const before = await verifier.verify(key);
    tenants.peekAccess.mockReturnValue({ status: 'active', defaultRateLimitPerMinute: 7 });

    const after = await verifier.verify(key);

    expect(before.principal.rateLimitPerMinute).toBeUndefined();
    expect(after.principal.rateLimitPerMinute).toBe(7);
    expect(await verifier.verify(key)).toBe(after);
  });

  it("should prefer the key's own rate limit", async () => {
    const { verifier, key } = fixture({
      record: { rateLimitPerMinute: 3 },
      tenant: { status: 'active', defaultRateLimitPerMinute: 7 },
    });

    expect((await verifier.verify(key)).principal.rateLimitPerMinute).toBe(3);
  });

  it('should record the last use at most once per interval, and forget an evicted key', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const { verifier, key, record, repository } = fixture();
    const use = async () => verifier.recordUse((await verifier.verify(key)).usage);
    await use();
    await use();
    expect(repository.touch).toHaveBeenCalledTimes(1);

    verifier.evict(record.id);
    await use();
    expect(repository.get).toHaveBeenCalledTimes(2);
    expect(repository.touch).toHaveBeenCalledTimes(1);

    clock.mockReturnValue(now + 4999);
    await use();
    expect(repository.touch).toHaveBeenCalledTimes(1);
  });

  it('should not record a use when the key is only verified', async () => {
    const { verifier, key, repository } = fixture();
    await verifier.verify(key);
    await verifier.verify(key);

    expect(repository.touch).not.toHaveBeenCalled();
  });

  it('should keep a failed last-use write off the answer', async () => {
    const { verifier, key, repository } = fixture();
    repository.touch.mockRejectedValue(new Error('throttled'));

    const verified = await verify(verifier, key);
    expect(() => verifier.recordUse(verified.usage)).not.toThrow();
    expect(verified).toMatchObject({ principal: { kind: 'tenant' } });
  });

  it('should read a key in use again before its entry expires, never making a request wait', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const { verifier, key, repository } = fixture();
    await verifier.verify(key);

    clock.mockReturnValue(now + 4000);
    expect(verifier.verify(key)).not.toBeInstanceOf(Promise);
    expect(verifier.verify(key)).not.toBeInstanceOf(Promise);
    await new Promise(setImmediate);
    expect(repository.get).toHaveBeenCalledTimes(2);

    // Past the first entry's bound the refreshed one answers, still synchronously.
    clock.mockReturnValue(now + 6000);
    expect(verifier.verify(key)).not.toBeInstanceOf(Promise);
    expect(repository.get).toHaveBeenCalledTimes(2);
  });

  it('should drop a key that a background read finds revoked', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const { verifier, key, record } = fixture();
    await verifier.verify(key);
    record.status = 'revoked';

    clock.mockReturnValue(now + 4000);
    expect(verifier.verify(key)).not.toBeInstanceOf(Promise);
    await new Promise(setImmediate);

    expect(() => verifier.verify(key)).toThrow(new CredentialRejection('revoked'));
  });

  it('should share one read among concurrent requests that miss the cache', async () => {
    const { verifier, key, repository } = fixture();

    const answers = await Promise.all([1, 2, 3, 4].map(() => verify(verifier, key)));

    expect(new Set(answers.map((answer) => answer.principal.keyId)).size).toBe(1);
    expect(repository.get).toHaveBeenCalledTimes(1);
  });

  it('should not cache a read that an eviction overtook', async () => {
    const { verifier, key, record, repository } = fixture();
    const pending = verify(verifier, key);
    verifier.evict(record.id);
    await pending;

    await verify(verifier, key);

    expect(repository.get).toHaveBeenCalledTimes(2);
  });
});
