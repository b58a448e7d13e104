import { MetadataScanner, ModulesContainer, Reflector } from '@nestjs/core';
import { PATH_METADATA } from '@nestjs/common/constants';
import { AdminKeysService } from '@app/admin';
import {
  ACCESS_RULE_KEY,
  AccessGuard,
  AdminKeyRepository,
  ApiKeyRepository,
  SecretKeyCodec,
} from '@app/auth';
import {
  adminHeaders,
  adminSession,
  createAdminKey,
  createApiKey,
  createTenantWithKey,
  TenantWithKey,
} from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** The parts of a problem body that must not differ between refusal reasons. */
function comparable(body: Record<string, unknown>): Record<string, unknown> {
  const rest = { ...body };
  delete rest.requestId;

  return rest;
}

describe(AccessGuard.name, () => {
  let testApp: TestApp;
  let reader: TenantWithKey;

  beforeAll(async () => {
    testApp = await startTestApp();
    reader = await createTenantWithKey(testApp, ['keys:read']);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should declare an access rule on every registered route', () => {
    const modules = testApp.app.get(ModulesContainer);
    const scanner = new MetadataScanner();
    const reflector = testApp.app.get(Reflector);
    const unguarded: string[] = [];
    let routes = 0;

    const controllers = [...modules.values()].flatMap((module) => [...module.controllers.values()]);
    for (const wrapper of controllers) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance) {
        continue;
      }
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const name of scanner.getAllMethodNames(prototype)) {
        const handler = (prototype as Record<string, (...args: unknown[]) => unknown>)[name];
        if (Reflect.getMetadata(PATH_METADATA, handler) === undefined) {
          continue;
        }
        routes++;
        const rule: unknown = reflector.getAllAndOverride(ACCESS_RULE_KEY, [
          handler,
          wrapper.metatype as unknown as new () => unknown,
        ]);
        if (rule === undefined) {
          unguarded.push(`${String(wrapper.name)}.${name}`);
        }
      }
    }

    expect(routes).toBeGreaterThan(10);
    expect(unguarded).toEqual([]);
  });

  it('should admit a valid key with the needed scope', async () => {
    await testApp.http.get('/v1/api-keys').set('X-API-Key', reader.key).expect(200);
  });

  it('should answer missing, malformed, unknown, revoked and expired keys with the same 401', async () => {
    const revoked = await createApiKey(testApp, reader.tenantId, ['keys:read']);
    const admin = await adminSession(testApp);
    await testApp.http
      .delete(`/v1/admin/tenants/${reader.tenantId}/api-keys/${revoked.keyId}`)
      .set(adminHeaders(admin))
      .expect(204);
    const expiring = await createApiKey(testApp, reader.tenantId, ['keys:read'], {
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    await testApp.http.get('/v1/api-keys').set('X-API-Key', expiring.key).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));

    const unknown = SecretKeyCodec.generate('dcs_test_');
    const mistyped = `${reader.key.slice(0, -1)}${reader.key.endsWith('a') ? 'b' : 'a'}`;
    const bodies = [];
    for (const key of [undefined, 'garbage', mistyped, unknown, revoked.key, expiring.key]) {
      const call = testApp.http.get('/v1/api-keys');
      const response = await (key === undefined ? call : call.set('X-API-Key', key)).expect(401);
      bodies.push(comparable(response.body));
    }

    expect(bodies[0]).toMatchObject({ status: 401, code: 'unauthenticated' });
    for (const body of bodies) {
      expect(body).toEqual(bodies[0]);
    }
    const reasons = testApp
      .logs()
      .filter((line) => line.includes('Credential refused'))
      .map((line) => (JSON.parse(line) as { reason: string }).reason);
    expect(reasons).toEqual(
      expect.arrayContaining(['missing', 'malformed', 'unknown', 'revoked', 'expired']),
    );
  });

  it('should admit a cached key without a database read, and still revoke it at once', async () => {
    const fresh = await createApiKey(testApp, reader.tenantId, ['keys:read']);
    const reads = jest.spyOn(testApp.app.get(ApiKeyRepository), 'get');
    try {
      await testApp.http.get('/v1/api-keys').set('X-API-Key', fresh.key).expect(200);
      const afterFirst = reads.mock.calls.length;
      for (let call = 0; call < 3; call++) {
        await testApp.http.get('/v1/api-keys').set('X-API-Key', fresh.key).expect(200);
      }
      expect(reads.mock.calls.length).toBe(afterFirst);

      // A mistyped key fails its checksum: refused from its shape, before any read.
      const mistyped = `${fresh.key.slice(0, -1)}${fresh.key.endsWith('a') ? 'b' : 'a'}`;
      await testApp.http.get('/v1/api-keys').set('X-API-Key', mistyped).expect(401);
      expect(reads.mock.calls.length).toBe(afterFirst);
    } finally {
      reads.mockRestore();
    }

    const admin = await adminSession(testApp);
    await testApp.http
      .delete(`/v1/admin/tenants/${reader.tenantId}/api-keys/${fresh.keyId}`)
      .set(adminHeaders(admin))
      .expect(204);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', fresh.key).expect(401);
    expect(testApp.logs().some((line) => line.includes(fresh.key))).toBe(false);
  });

  it('should never accept a key from the query string or the body', async () => {
    await testApp.http.get(`/v1/api-keys?apiKey=${reader.key}&api_key=${reader.key}`).expect(401);
    await testApp.http
      .post('/v1/api-keys/key_x/rotate')
      .send({ apiKey: reader.key, 'X-API-Key': reader.key })
      .expect(401);
  });

  it('should answer 403 when the key lacks the route scope, and for a key with no scopes', async () => {
    const none = await createApiKey(testApp, reader.tenantId, []);

    const response = await testApp.http
      .post('/v1/api-keys')
      .set('X-API-Key', reader.key)
      .send({ name: 'x', scopes: [] })
      .expect(403);
    expect(response.body.code).toBe('insufficient_scope');
    await testApp.http.get('/v1/api-keys').set('X-API-Key', none.key).expect(403);
  });

  it('should refuse a key used outside its allowed CIDR ranges, IPv4 or IPv6', async () => {
    const outside = await createApiKey(testApp, reader.tenantId, ['keys:read'], {
      allowedCidrs: ['10.0.0.0/8', '2001:db8::/32'],
    });
    const inside = await createApiKey(testApp, reader.tenantId, ['keys:read'], {
      allowedCidrs: ['127.0.0.0/8', '::1/128'],
    });

    const refused = await testApp.http
      .get('/v1/api-keys')
      .set('X-API-Key', outside.key)
      .expect(403);
    expect(refused.body.code).toBe('ip_not_allowed');
    await testApp.http.get('/v1/api-keys').set('X-API-Key', inside.key).expect(200);
  });

  it('should refuse an invalid CIDR range when creating a key', async () => {
    const admin = await adminSession(testApp);
    const response = await testApp.http
      .post(`/v1/admin/tenants/${reader.tenantId}/api-keys`)
      .set(adminHeaders(admin))
      .send({ name: 'bad', scopes: [], allowedCidrs: ['10.0.0.0/33'] })
      .expect(400);

    expect(response.body.errors[0].field).toBe('allowedCidrs');
  });

  it('should answer 403 admin_only for a tenant key on an admin route', async () => {
    const response = await testApp.http
      .get('/v1/admin/tenants')
      .set('X-API-Key', reader.key)
      .expect(403);

    expect(response.body.code).toBe('admin_only');
  });

  it('should answer 403 admin_only for a tenant key sent in X-Admin-Key on an admin route', async () => {
    for (const key of [reader.key, SecretKeyCodec.generate('dcs_live_')]) {
      const response = await testApp.http
        .get('/v1/admin/tenants')
        .set('X-Admin-Key', key)
        .expect(403);

      expect(response.body.code).toBe('admin_only');
    }
  });

  it('should not accept an admin key on a tenant route', async () => {
    const admin = await adminSession(testApp);

    const response = await testApp.http
      .get('/v1/api-keys')
      .set('X-Admin-Key', admin.key)
      .expect(401);

    const refusal = testApp
      .logs()
      .map((line) => JSON.parse(line) as { msg?: string; reason?: string; requestId?: string })
      .find(
        (line) => line.requestId === response.body.requestId && line.msg === 'Credential refused',
      );
    expect(refusal?.reason).toBe('wrong_kind');
  });

  it('should refuse a key with no scopes even on a route that names no scope', async () => {
    const none = await createApiKey(testApp, reader.tenantId, []);

    const response = await testApp.http
      .post('/mcp')
      .set('X-API-Key', none.key)
      .set('Accept', 'application/json, text/event-stream')
      .send({ jsonrpc: '2.0', id: 1, method: 'ping' })
      .expect(403);

    expect(response.body.code).toBe('insufficient_scope');
  });

  it('should answer 503 with Retry-After, not 401 or 500, when the database fails during authentication', async () => {
    const fresh = await createApiKey(testApp, reader.tenantId, ['keys:read']);
    const admin = await createAdminKey(testApp, 'db-down');
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const spies = [
      jest.spyOn(testApp.app.get(ApiKeyRepository), 'get').mockRejectedValue(outage),
      jest.spyOn(testApp.app.get(AdminKeyRepository), 'get').mockRejectedValue(outage),
    ];
    try {
      const tenantCall = await testApp.http.get('/v1/api-keys').set('X-API-Key', fresh.key);
      const adminCall = await testApp.http.get('/v1/admin/tenants').set('X-Admin-Key', admin.key);

      for (const response of [tenantCall, adminCall]) {
        expect(response.status).toBe(503);
        expect(response.body.code).toBe('database_unavailable');
        expect(response.headers['retry-after']).toBeDefined();
      }
    } finally {
      spies.forEach((spy) => spy.mockRestore());
    }
    await testApp.http.get('/v1/api-keys').set('X-API-Key', fresh.key).expect(200);
  });

  it('should answer a very long or repeated X-API-Key header with the same 401', async () => {
    const long = await testApp.http
      .get('/v1/api-keys')
      .set('X-API-Key', `dcs_test_${'a'.repeat(8000)}`)
      .expect(401);
    const twice = await testApp.http
      .get('/v1/api-keys')
      .set('X-API-Key', [reader.key, reader.key] as unknown as string)
      .expect(401);

    expect(comparable(long.body)).toEqual(comparable(twice.body));
    expect(long.body.code).toBe('unauthenticated');
  });

  it('should refuse the keys of a suspended tenant with 403 at once, and admit them again', async () => {
    const admin = await adminSession(testApp);
    const tenant = await createTenantWithKey(testApp, ['keys:read']);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', tenant.key).expect(200);

    await testApp.http
      .patch(`/v1/admin/tenants/${tenant.tenantId}`)
      .set(adminHeaders(admin))
      .send({ status: 'suspended' })
      .expect(200);
    const refused = await testApp.http.get('/v1/api-keys').set('X-API-Key', tenant.key).expect(403);
    expect(refused.body.code).toBe('tenant_suspended');

    await testApp.http
      .patch(`/v1/admin/tenants/${tenant.tenantId}`)
      .set(adminHeaders(admin))
      .send({ status: 'active' })
      .expect(200);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', tenant.key).expect(200);
  });

  it('should refuse the keys of a deleted tenant with 401 at once', async () => {
    const admin = await adminSession(testApp);
    const tenant = await createTenantWithKey(testApp, ['keys:read']);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', tenant.key).expect(200);

    await testApp.http
      .delete(`/v1/admin/tenants/${tenant.tenantId}`)
      .set(adminHeaders(admin))
      .send({ reason: 'test deletion' })
      .expect(204);

    await testApp.http.get('/v1/api-keys').set('X-API-Key', tenant.key).expect(401);
  });

  it('should write lastUsedAt off the response path, at most once a minute', async () => {
    const fresh = await createApiKey(testApp, reader.tenantId, ['keys:read']);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', fresh.key).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 200));

    const first = await testApp.http
      .get(`/v1/api-keys/${fresh.keyId}`)
      .set('X-API-Key', fresh.key)
      .expect(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await testApp.http
      .get(`/v1/api-keys/${fresh.keyId}`)
      .set('X-API-Key', fresh.key)
      .expect(200);

    expect(first.body.lastUsedAt).not.toBeNull();
    expect(second.body.lastUsedAt).toBe(first.body.lastUsedAt);
  });

  it('should not write lastUsedAt for requests refused for a missing scope or a foreign address', async () => {
    const admin = await adminSession(testApp);
    const unscoped = await createApiKey(testApp, reader.tenantId, ['tools:read']);
    const fenced = await createApiKey(testApp, reader.tenantId, ['keys:read'], {
      allowedCidrs: ['203.0.113.0/24'],
    });
    const lastUsed = async (keyId: string): Promise<string | null> =>
      (
        await testApp.http
          .get(`/v1/admin/tenants/${reader.tenantId}/api-keys/${keyId}`)
          .set(adminHeaders(admin, false))
          .expect(200)
      ).body.lastUsedAt as string | null;

    // Twice each: the second refusal is answered from the cache, the hot path.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const scope = await testApp.http
        .get('/v1/api-keys')
        .set('X-API-Key', unscoped.key)
        .expect(403);
      expect(scope.body.code).toBe('insufficient_scope');
      const address = await testApp.http
        .get('/v1/api-keys')
        .set('X-API-Key', fenced.key)
        .expect(403);
      expect(address.body.code).toBe('ip_not_allowed');
    }
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(await lastUsed(unscoped.keyId)).toBeNull();
    expect(await lastUsed(fenced.keyId)).toBeNull();

    // An admitted request of the same key is still recorded.
    await testApp.http.get('/v1/tools').set('X-API-Key', unscoped.key).expect(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await lastUsed(unscoped.keyId)).not.toBeNull();
  });

  describe.each([
    ['the nearest hop', '1'],
    ['the listed proxy ranges', '127.0.0.0/8, ::1'],
  ])('behind a trusted proxy, trusting %s', (_how, trustProxy) => {
    let proxied: TestApp;
    // The test client stands for the proxy: X-Forwarded-For is what it says it saw.
    const spoofed = '10.1.2.3, 203.0.113.7';
    const relayed = '203.0.113.7, 10.1.2.3';

    beforeAll(async () => {
      proxied = await startTestApp({ TRUST_PROXY: trustProxy });
    });

    afterAll(async () => {
      await proxied.close();
    });

    it('should take the client address from the nearest hop, not a spoofed leftmost entry', async () => {
      const tenant = await createTenantWithKey(proxied, ['keys:read'], {
        allowedCidrs: ['10.0.0.0/8'],
      });
      const call = (forwardedFor: string) =>
        proxied.http
          .get('/v1/api-keys')
          .set('X-API-Key', tenant.key)
          .set('X-Forwarded-For', forwardedFor);

      const refused = await call(spoofed).expect(403);
      expect(refused.body.code).toBe('ip_not_allowed');
      await call(relayed).expect(200);
    });

    it('should judge the ranges of an admin key by the same address', async () => {
      const fenced = await proxied.app
        .get(AdminKeysService)
        .create({ name: 'behind-proxy', allowedCidrs: ['10.0.0.0/8'] }, 'test', 'test');
      const call = (forwardedFor: string) =>
        proxied.http
          .get('/v1/admin/admin-keys')
          .set('X-Admin-Key', fenced.key)
          .set('X-Forwarded-For', forwardedFor);

      const refused = await call(spoofed).expect(403);
      expect(refused.body.code).toBe('ip_not_allowed');
      await call(relayed).expect(200);
    });
  });
});
