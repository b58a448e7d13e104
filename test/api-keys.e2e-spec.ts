import { ApiKeyRepository, ApiKeysService, Scope } from '@app/auth';
import {
  adminHeaders,
  adminSession,
  createApiKey,
  createTenantWithKey,
  TenantWithKey,
} from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(ApiKeysService.name, () => {
  let testApp: TestApp;
  let tenantA: TenantWithKey;
  let tenantB: TenantWithKey;

  beforeAll(async () => {
    testApp = await startTestApp();
    tenantA = await createTenantWithKey(testApp, ['keys:read', 'keys:write', 'tools:read']);
    tenantB = await createTenantWithKey(testApp, ['keys:read', 'keys:write', 'tools:read']);
  });

  afterAll(async () => {
    await testApp.close();
  });

  const asA = (method: 'get' | 'post' | 'delete', path: string) =>
    testApp.http[method](path).set('X-API-Key', tenantA.key);

  it('should create a key, return it once with its id, and never show it again', async () => {
    const created = await asA('post', '/v1/api-keys')
      .send({ name: 'ci', scopes: ['tools:read'], metadata: { team: 'ops' } })
      .expect(201);

    expect(created.body.id).toMatch(/^key_/);
    expect(created.body.key).toMatch(/^dcs_test_[0-9A-Za-z]{49}$/);
    expect(created.body.prefix).toBe(`dcs_test_...${(created.body.key as string).slice(-4)}`);

    const fetched = await asA('get', `/v1/api-keys/${created.body.id}`).expect(200);
    expect(fetched.body).not.toHaveProperty('key');
    expect(fetched.body).toMatchObject({
      id: created.body.id,
      name: 'ci',
      scopes: ['tools:read'],
      status: 'active',
      metadata: { team: 'ops' },
    });
    const listed = await asA('get', '/v1/api-keys').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.key);
  });

  it('should refuse to grant a scope the calling key lacks', async () => {
    const response = await asA('post', '/v1/api-keys')
      .send({ name: 'escalate', scopes: ['tools:read', 'tools:invoke'] })
      .expect(403);

    expect(response.body.code).toBe('insufficient_scope');
  });

  it('should refuse unknown scopes, unknown fields and past expiry with 400', async () => {
    await asA('post', '/v1/api-keys')
      .send({ name: 'x', scopes: ['root'] })
      .expect(400);
    await asA('post', '/v1/api-keys')
      .send({ name: 'x', scopes: [], tenantId: 'other' })
      .expect(400);
    const past = await asA('post', '/v1/api-keys')
      .send({ name: 'x', scopes: [], expiresAt: '2000-01-01T00:00:00Z' })
      .expect(400);
    expect(past.body.errors[0].field).toBe('expiresAt');
  });

  it('should not return the key of another tenant', async () => {
    await asA('get', `/v1/api-keys/${tenantB.keyId}`).expect(404);
    const listed = await asA('get', '/v1/api-keys').expect(200);

    expect(listed.body.items.map((item: { id: string }) => item.id)).not.toContain(tenantB.keyId);
  });

  it('should not revoke or rotate the key of another tenant', async () => {
    await asA('delete', `/v1/api-keys/${tenantB.keyId}`).expect(404);
    await asA('post', `/v1/api-keys/${tenantB.keyId}/rotate`).send({}).expect(404);

    await testApp.http.get('/v1/api-keys').set('X-API-Key', tenantB.key).expect(200);
  });

  it('should not let an admin path mix a key with another tenant', async () => {
    const admin = await adminSession(testApp);

    await testApp.http
      .get(`/v1/admin/tenants/${tenantA.tenantId}/api-keys/${tenantB.keyId}`)
      .set(adminHeaders(admin, false))
      .expect(404);
    await testApp.http
      .delete(`/v1/admin/tenants/${tenantA.tenantId}/api-keys/${tenantB.keyId}`)
      .set(adminHeaders(admin))
      .expect(404);
  });

  it('should answer 404 on every admin key route of a deleted tenant, changing nothing', async () => {
    const admin = await adminSession(testApp);
    const doomed = await createTenantWithKey(testApp, ['keys:read']);
    await testApp.http
      .delete(`/v1/admin/tenants/${doomed.tenantId}`)
      .set(adminHeaders(admin))
      .send({ reason: 'contract ended' })
      .expect(204);
    const base = `/v1/admin/tenants/${doomed.tenantId}/api-keys/${doomed.keyId}`;

    await testApp.http.get(base).set(adminHeaders(admin, false)).expect(404);
    await testApp.http.post(`${base}/rotate`).set(adminHeaders(admin)).send({}).expect(404);
    await testApp.http.delete(base).set(adminHeaders(admin)).expect(404);

    const stored = await testApp.app
      .get(ApiKeyRepository)
      .listByTenant(doomed.tenantId, 10, undefined);
    expect(stored.items).toHaveLength(1);
    expect(stored.items[0]).toMatchObject({ id: doomed.keyId, status: 'active' });
  });

  it('should refuse forged cursors with empty ids or out-of-range numbers with 400', async () => {
    const forge = (text: string) => Buffer.from(text, 'utf8').toString('base64url');
    const forged = [
      forge(JSON.stringify({ id: '', tenantId: tenantA.tenantId, createdAt: 1 })),
      forge(`{"id":"key_a","tenantId":"${tenantA.tenantId}","createdAt":1e400}`),
      forge(JSON.stringify({ id: 'key_a', tenantId: tenantA.tenantId, createdAt: -1.5 })),
    ];

    for (const cursor of forged) {
      const response = await asA('get', `/v1/api-keys?cursor=${cursor}`).expect(400);
      expect(response.body.code).toBe('validation_failed');
    }
  });

  it('should revoke a key immediately, idempotently', async () => {
    const victim = await createApiKey(testApp, tenantA.tenantId, ['keys:read']);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', victim.key).expect(200);

    await asA('delete', `/v1/api-keys/${victim.keyId}`).expect(204);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', victim.key).expect(401);
    await asA('delete', `/v1/api-keys/${victim.keyId}`).expect(204);
    const after = await asA('get', `/v1/api-keys/${victim.keyId}`).expect(200);
    expect(after.body.status).toBe('revoked');
  });

  it('should rotate with a grace period during which both keys work', async () => {
    const old = await createApiKey(testApp, tenantA.tenantId, ['keys:read'], {
      allowedCidrs: ['127.0.0.0/8', '::1/128'],
    });
    await testApp.http.get('/v1/api-keys').set('X-API-Key', old.key).expect(200);

    const rotated = await asA('post', `/v1/api-keys/${old.keyId}/rotate`)
      .send({ gracePeriodSeconds: 2 })
      .expect(201);
    expect(rotated.body.key).not.toBe(old.key);
    expect(rotated.body).toMatchObject({
      scopes: ['keys:read'],
      allowedCidrs: ['127.0.0.0/8', '::1/128'],
    });

    await testApp.http.get('/v1/api-keys').set('X-API-Key', old.key).expect(200);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', rotated.body.key).expect(200);
    await asA('post', `/v1/api-keys/${old.keyId}/rotate`).send({}).expect(409);

    await sleep(2100);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', old.key).expect(401);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', rotated.body.key).expect(200);
  });

  it('should rotate without grace by revoking the old key at once', async () => {
    const old = await createApiKey(testApp, tenantA.tenantId, ['keys:read']);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', old.key).expect(200);

    const rotated = await asA('post', `/v1/api-keys/${old.keyId}/rotate`).send({}).expect(201);

    await testApp.http.get('/v1/api-keys').set('X-API-Key', old.key).expect(401);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', rotated.body.key).expect(200);
  });

  it('should never extend a rotated key past its own expiry, and cap grace at 24 hours', async () => {
    const expiresAt = new Date(Date.now() + 60000).toISOString();
    const old = await createApiKey(testApp, tenantA.tenantId, ['keys:read'], { expiresAt });

    await asA('post', `/v1/api-keys/${old.keyId}/rotate`)
      .send({ gracePeriodSeconds: 86401 })
      .expect(400);
    const rotated = await asA('post', `/v1/api-keys/${old.keyId}/rotate`)
      .send({ gracePeriodSeconds: 86400 })
      .expect(201);
    const oldView = await asA('get', `/v1/api-keys/${old.keyId}`).expect(200);

    expect(oldView.body.expiresAt).toBe(expiresAt);
    expect(rotated.body.expiresAt).toBe(expiresAt);
  });

  it('should refuse to rotate a key holding scopes the caller lacks', async () => {
    const admin = await adminSession(testApp);
    const powerful = await createApiKey(testApp, tenantA.tenantId, ['tools:invoke']);

    await asA('post', `/v1/api-keys/${powerful.keyId}/rotate`).send({}).expect(403);
    await testApp.http
      .post(`/v1/admin/tenants/${tenantA.tenantId}/api-keys/${powerful.keyId}/rotate`)
      .set(adminHeaders(admin))
      .send({ gracePeriodSeconds: 60 })
      .expect(201);
  });

  it('should paginate with opaque cursors and refuse bad or foreign cursors', async () => {
    const tenant = await createTenantWithKey(testApp, ['keys:read']);
    for (let index = 0; index < 4; index++) {
      await createApiKey(testApp, tenant.tenantId, []);
    }
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: { id: string }[]; nextCursor: string | null } } =
        await testApp.http
          .get('/v1/api-keys')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set('X-API-Key', tenant.key)
          .expect(200);
      ids.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor !== null);

    expect(new Set(ids).size).toBe(5);
    const bad = await testApp.http
      .get('/v1/api-keys?cursor=not-a-cursor')
      .set('X-API-Key', tenant.key)
      .expect(400);
    expect(bad.body.code).toBe('validation_failed');
    const page = await testApp.http.get('/v1/api-keys?limit=1').set('X-API-Key', tenantA.key);
    await testApp.http
      .get(`/v1/api-keys?cursor=${page.body.nextCursor as string}`)
      .set('X-API-Key', tenant.key)
      .expect(400);
  });

  it('should enforce the tenant maximum number of keys', async () => {
    const admin = await adminSession(testApp);
    const created = await testApp.http
      .post('/v1/admin/tenants')
      .set(adminHeaders(admin))
      .send({ name: 'Small', settings: { maxKeys: 2 } })
      .expect(201);
    const tenantId = created.body.id as string;
    const first = await createApiKey(testApp, tenantId, []);
    await createApiKey(testApp, tenantId, []);

    await testApp.http
      .post(`/v1/admin/tenants/${tenantId}/api-keys`)
      .set(adminHeaders(admin))
      .send({ name: 'third', scopes: [] })
      .expect(409);
    await testApp.http
      .delete(`/v1/admin/tenants/${tenantId}/api-keys/${first.keyId}`)
      .set(adminHeaders(admin))
      .expect(204);
    await createApiKey(testApp, tenantId, []);
  });

  describe('keys created or rotated by a fenced tenant key', () => {
    // The test client connects over loopback, so these fences still admit the calling key.
    const LOOPBACK = ['127.0.0.0/8', '::1/128'];
    const WRITER: Scope[] = ['keys:read', 'keys:write'];

    const as = (key: string, method: 'get' | 'post' | 'delete', path: string) =>
      testApp.http[method](path).set('X-API-Key', key);

    const listedIds = async (key: string): Promise<string[]> => {
      const listed = await as(key, 'get', '/v1/api-keys?limit=100').expect(200);

      return (listed.body.items as { id: string }[]).map((item) => item.id);
    };

    it('should not let a fenced key create a key usable from anywhere', async () => {
      const fenced = await createApiKey(testApp, tenantA.tenantId, WRITER, {
        allowedCidrs: LOOPBACK,
      });
      const before = await listedIds(fenced.key);

      for (const allowedCidrs of [
        ['0.0.0.0/0'],
        [],
        ['127.0.0.1/32', '10.0.0.0/8'],
        ['127.0.0.0/7'],
        ['::/0'],
        ['::1/127'],
        ['::ffff:127.0.0.1/128'],
      ]) {
        const refused = await as(fenced.key, 'post', '/v1/api-keys')
          .send({ name: 'escape', scopes: ['keys:read'], allowedCidrs })
          .expect(403);
        expect(refused.body.code).toBe('forbidden');
        expect(refused.body.errors[0].field).toBe('allowedCidrs');
      }
      expect(await listedIds(fenced.key)).toEqual(before);

      const narrower = await as(fenced.key, 'post', '/v1/api-keys')
        .send({
          name: 'narrower',
          scopes: ['keys:read'],
          allowedCidrs: ['127.0.0.1/32', '::1/128'],
        })
        .expect(201);
      expect(narrower.body.allowedCidrs).toEqual(['127.0.0.1/32', '::1/128']);
      const inherited = await as(fenced.key, 'post', '/v1/api-keys')
        .send({ name: 'inherited', scopes: ['keys:read'] })
        .expect(201);
      expect(inherited.body.allowedCidrs).toEqual(LOOPBACK);
      await as(inherited.body.key as string, 'get', '/v1/api-keys').expect(200);
    });

    it('should not let an expiring key create a key that outlives it', async () => {
      const expiresAt = new Date(Date.now() + 3600000).toISOString();
      const expiring = await createApiKey(testApp, tenantA.tenantId, WRITER, { expiresAt });
      const before = await listedIds(expiring.key);

      const later = new Date(Date.parse(expiresAt) + 1000).toISOString();
      const refused = await as(expiring.key, 'post', '/v1/api-keys')
        .send({ name: 'forever', scopes: ['keys:read'], expiresAt: later })
        .expect(403);
      expect(refused.body.code).toBe('forbidden');
      expect(refused.body.errors[0].field).toBe('expiresAt');
      expect(await listedIds(expiring.key)).toEqual(before);

      const inherited = await as(expiring.key, 'post', '/v1/api-keys')
        .send({ name: 'inherited', scopes: ['keys:read'] })
        .expect(201);
      expect(inherited.body.expiresAt).toBe(expiresAt);
      const sooner = new Date(Date.now() + 60000).toISOString();
      const shorter = await as(expiring.key, 'post', '/v1/api-keys')
        .send({ name: 'shorter', scopes: ['keys:read'], expiresAt: sooner })
        .expect(201);
      expect(shorter.body.expiresAt).toBe(sooner);
    });

    it('should not let a key grant a rate limit above its own', async () => {
      const limited = await createApiKey(testApp, tenantA.tenantId, WRITER, {
        rateLimitPerMinute: 10,
      });

      const refused = await as(limited.key, 'post', '/v1/api-keys')
        .send({ name: 'faster', scopes: ['keys:read'], rateLimitPerMinute: 11 })
        .expect(403);
      expect(refused.body.code).toBe('forbidden');
      expect(refused.body.errors[0].field).toBe('rateLimitPerMinute');

      // Without an override the new key would get the tenant default (600), above this key's 10.
      const inherited = await as(limited.key, 'post', '/v1/api-keys')
        .send({ name: 'inherited', scopes: ['keys:read'] })
        .expect(201);
      expect(inherited.body.rateLimitPerMinute).toBe(10);
      const slower = await as(limited.key, 'post', '/v1/api-keys')
        .send({ name: 'slower', scopes: ['keys:read'], rateLimitPerMinute: 5 })
        .expect(201);
      expect(slower.body.rateLimitPerMinute).toBe(5);

      // A key without an override is held to the tenant default.
      await asA('post', '/v1/api-keys')
        .send({ name: 'above default', scopes: [], rateLimitPerMinute: 601 })
        .expect(403);
      const unfenced = await asA('post', '/v1/api-keys')
        .send({ name: 'unfenced', scopes: [] })
        .expect(201);
      expect(unfenced.body).toMatchObject({
        allowedCidrs: [],
        expiresAt: null,
        rateLimitPerMinute: null,
      });
    });

    it('should not take a key slot when a fenced creation is refused', async () => {
      const admin = await adminSession(testApp);
      const small = await testApp.http
        .post('/v1/admin/tenants')
        .set(adminHeaders(admin))
        .send({ name: 'Fenced small', settings: { maxKeys: 2 } })
        .expect(201);
      const tenantId = small.body.id as string;
      const fenced = await createApiKey(testApp, tenantId, WRITER, { allowedCidrs: LOOPBACK });

      for (let attempt = 0; attempt < 3; attempt++) {
        await as(fenced.key, 'post', '/v1/api-keys')
          .send({ name: 'escape', scopes: [], allowedCidrs: ['0.0.0.0/0'] })
          .expect(403);
      }

      await as(fenced.key, 'post', '/v1/api-keys').send({ name: 'last', scopes: [] }).expect(201);
    });

    it('should not let a fenced key rotate a broader key to obtain it', async () => {
      const expiresAt = new Date(Date.now() + 3600000).toISOString();
      const fenced = await createApiKey(testApp, tenantA.tenantId, WRITER, {
        allowedCidrs: LOOPBACK,
        expiresAt,
        rateLimitPerMinute: 10,
      });
      const broader: Record<string, unknown>[] = [
        { allowedCidrs: ['0.0.0.0/0'], rateLimitPerMinute: 10, expiresAt },
        { allowedCidrs: LOOPBACK, rateLimitPerMinute: 10 },
        { allowedCidrs: LOOPBACK, rateLimitPerMinute: 50, expiresAt },
        { allowedCidrs: LOOPBACK, expiresAt },
      ];

      for (const settings of broader) {
        const target = await createApiKey(testApp, tenantA.tenantId, ['keys:read'], settings);
        const refused = await as(fenced.key, 'post', `/v1/api-keys/${target.keyId}/rotate`)
          .send({ gracePeriodSeconds: 60 })
          .expect(403);
        expect(refused.body.code).toBe('forbidden');

        const untouched = await asA('get', `/v1/api-keys/${target.keyId}`).expect(200);
        expect(untouched.body.status).toBe('active');
        expect(untouched.body).not.toHaveProperty('rotatedToKeyId');
        await as(target.key, 'get', '/v1/api-keys').expect(200);
      }
    });

    it('should let a fenced key rotate itself and its own keys, keeping their fences', async () => {
      const expiresAt = new Date(Date.now() + 3600000).toISOString();
      const fenced = await createApiKey(testApp, tenantA.tenantId, WRITER, {
        allowedCidrs: LOOPBACK,
        expiresAt,
        rateLimitPerMinute: 10,
      });
      const child = await as(fenced.key, 'post', '/v1/api-keys')
        .send({ name: 'child', scopes: ['keys:read'], allowedCidrs: ['127.0.0.1/32'] })
        .expect(201);

      const rotatedChild = await as(fenced.key, 'post', `/v1/api-keys/${child.body.id}/rotate`)
        .send({})
        .expect(201);
      expect(rotatedChild.body).toMatchObject({
        allowedCidrs: ['127.0.0.1/32'],
        expiresAt,
        rateLimitPerMinute: 10,
      });
      const rotatedSelf = await as(fenced.key, 'post', `/v1/api-keys/${fenced.keyId}/rotate`)
        .send({})
        .expect(201);
      expect(rotatedSelf.body).toMatchObject({
        allowedCidrs: LOOPBACK,
        expiresAt,
        rateLimitPerMinute: 10,
      });
    });
  });

  describe('input validation', () => {
    const fieldsOf = (body: { errors: { field: string }[] }) =>
      body.errors.map((error) => error.field);

    it('should refuse expiry dates that are not RFC 3339 with an offset, on both routes, with 400', async () => {
      const admin = await adminSession(testApp);
      const invalid: unknown[] = [
        '2030-W01',
        '20300101T000000Z',
        '2030-01-01T00:00:00',
        '2030-01-01',
        '2030-02-30T00:00:00Z',
        '2030-01-01T24:00:00Z',
        '2030-01-01T00:00:00+24:00',
        '+275760-09-13T00:00:00Z',
        'soon',
        4102444800000,
      ];
      for (const expiresAt of invalid) {
        for (const route of [
          () => asA('post', '/v1/api-keys'),
          () =>
            testApp.http
              .post(`/v1/admin/tenants/${tenantA.tenantId}/api-keys`)
              .set(adminHeaders(admin)),
        ]) {
          const response = await route()
            .send({ name: 'dated', scopes: ['tools:read'], expiresAt })
            .expect(400);

          expect(response.body.code).toBe('validation_failed');
          expect(fieldsOf(response.body)).toEqual(['expiresAt']);
        }
      }
    });

    it('should accept an RFC 3339 expiry with a numeric offset and read it in that offset', async () => {
      const created = await asA('post', '/v1/api-keys')
        .send({ name: 'dated', scopes: ['tools:read'], expiresAt: '2030-01-01T02:00:00+02:00' })
        .expect(201);

      expect(created.body.expiresAt).toBe('2030-01-01T00:00:00.000Z');
      await asA('delete', `/v1/api-keys/${created.body.id}`).expect(204);
    });

    it('should refuse blank names and names with control or bidi characters, and trim the rest', async () => {
      const admin = await adminSession(testApp);
      const invalid = [
        '',
        '   ',
        '\t\n',
        'a\u0000b',
        'a\u001bb',
        'a\u0085b',
        'evil\u202Etxt.exe',
        'x\u2066y',
        42,
      ];
      for (const name of invalid) {
        for (const route of [
          () => asA('post', '/v1/api-keys'),
          () =>
            testApp.http
              .post(`/v1/admin/tenants/${tenantA.tenantId}/api-keys`)
              .set(adminHeaders(admin)),
        ]) {
          const response = await route()
            .send({ name, scopes: ['tools:read'] })
            .expect(400);

          expect(fieldsOf(response.body)).toEqual(['name']);
        }
      }

      const trimmed = await asA('post', '/v1/api-keys')
        .send({ name: '  billing  ', scopes: ['tools:read'] })
        .expect(201);
      expect(trimmed.body.name).toBe('billing');
      await asA('delete', `/v1/api-keys/${trimmed.body.id}`).expect(204);
    });

    it('should answer one message per field of the wrong type', async () => {
      const target = await createApiKey(testApp, tenantA.tenantId, ['tools:read']);
      const cases: [() => ReturnType<typeof asA>, string][] = [
        [
          () =>
            asA('post', `/v1/api-keys/${target.keyId}/rotate`).send({ gracePeriodSeconds: '10' }),
          'gracePeriodSeconds',
        ],
        [
          () =>
            asA('post', `/v1/api-keys/${target.keyId}/rotate`).send({ gracePeriodSeconds: 1.5 }),
          'gracePeriodSeconds',
        ],
        [() => asA('get', '/v1/api-keys?limit=abc'), 'limit'],
        [() => asA('get', '/v1/api-keys?cursor=a&cursor=b'), 'cursor'],
        [() => asA('post', '/v1/api-keys').send({ name: 'x', scopes: 'tools:read' }), 'scopes'],
        [
          () =>
            asA('post', '/v1/api-keys').send({ name: 'x', scopes: [], rateLimitPerMinute: '5' }),
          'rateLimitPerMinute',
        ],
        [
          () =>
            asA('post', '/v1/api-keys').send({ name: 'x', scopes: [], allowedCidrs: '10.0.0.0/8' }),
          'allowedCidrs',
        ],
        [
          () => asA('post', '/v1/api-keys').send({ name: 'x', scopes: [], metadata: 'team=ops' }),
          'metadata',
        ],
      ];
      for (const [send, field] of cases) {
        const response = await send().expect(400);

        expect(response.body.errors).toEqual([{ field, message: expect.any(String) }]);
        expect(response.body.errors[0].message).not.toMatch(/greater than|less than/);
      }
    });
  });
});
