import { TenantsService } from '@app/tenants';
import {
  adminHeaders,
  adminSession,
  AdminSession,
  createTenant,
} from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

describe(TenantsService.name, () => {
  let testApp: TestApp;
  let admin: AdminSession;

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await adminSession(testApp);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should create a tenant with defaults and answer 201 with its id', async () => {
    const response = await testApp.http
      .post('/v1/admin/tenants')
      .set(adminHeaders(admin))
      .send({ name: 'Acme', plan: 'professional', settings: { maxConcurrentJobs: 8 } })
      .expect(201);

    expect(response.body).toMatchObject({
      id: expect.stringMatching(/^ten_/),
      name: 'Acme',
      status: 'active',
      plan: 'professional',
      settings: {
        maxConcurrentJobs: 8,
        maxKeys: expect.any(Number),
        defaultRateLimitPerMinute: expect.any(Number),
        allowedCorsOrigins: [],
      },
    });
    const fetched = await testApp.http
      .get(`/v1/admin/tenants/${response.body.id}`)
      .set(adminHeaders(admin, false))
      .expect(200);
    expect(fetched.body).toEqual(response.body);
  });

  it('should refuse invalid bodies with the offending fields', async () => {
    const response = await testApp.http
      .post('/v1/admin/tenants')
      .set(adminHeaders(admin))
      .send({ name: '', plan: 'gold', extra: true })
      .expect(400);

    const fields = response.body.errors.map((error: { field: string }) => error.field);
    expect(fields).toEqual(expect.arrayContaining(['name', 'plan']));
  });

  it('should refuse settings given as an array, storing nothing', async () => {
    const tenantId = await createTenant(testApp, { name: 'Arrays' });

    const created = await testApp.http
      .post('/v1/admin/tenants')
      .set(adminHeaders(admin))
      .send({ name: 'Array settings', settings: [{ maxKeys: 3 }] })
      .expect(400);
    const patched = await testApp.http
      .patch(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .send({ settings: [{ maxKeys: 3 }] })
      .expect(400);

    for (const response of [created, patched]) {
      expect(response.body.errors.map((error: { field: string }) => error.field)).toContain(
        'settings',
      );
    }
    const fetched = await testApp.http
      .get(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin, false))
      .expect(200);
    expect(Object.keys(fetched.body.settings).sort()).toEqual([
      'allowedCorsOrigins',
      'defaultRateLimitPerMinute',
      'maxConcurrentJobs',
      'maxKeys',
    ]);
  });

  it('should refuse a forged cursor with an empty id with 400', async () => {
    const cursor = Buffer.from(
      JSON.stringify({ id: '', listing: 'tenant', createdAt: 1 }),
      'utf8',
    ).toString('base64url');

    const response = await testApp.http
      .get(`/v1/admin/tenants?cursor=${cursor}`)
      .set(adminHeaders(admin, false))
      .expect(400);

    expect(response.body.code).toBe('validation_failed');
  });

  it('should update name, plan and merge settings', async () => {
    const tenantId = await createTenant(testApp, {
      name: 'Before',
      settings: { allowedCorsOrigins: ['https://app.example.com'] },
    });

    const response = await testApp.http
      .patch(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .send({ name: 'After', plan: 'enterprise', settings: { maxKeys: 7 } })
      .expect(200);

    expect(response.body).toMatchObject({
      name: 'After',
      plan: 'enterprise',
      settings: { maxKeys: 7, allowedCorsOrigins: ['https://app.example.com'] },
    });
  });

  it('should keep every setting of concurrent updates, none lost to a stale read', async () => {
    const tenantId = await createTenant(testApp, { name: 'Busy' });
    const changes = [
      { defaultRateLimitPerMinute: 120 },
      { maxKeys: 9 },
      { allowedCorsOrigins: ['https://ops.example.com'] },
      { maxConcurrentJobs: 3 },
    ];

    const answers = await Promise.all(
      changes.map((settings) =>
        testApp.http
          .patch(`/v1/admin/tenants/${tenantId}`)
          .set(adminHeaders(admin))
          .send({ settings }),
      ),
    );

    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200]);
    const tenant = await testApp.http
      .get(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .expect(200);
    expect(tenant.body.settings).toMatchObject(Object.assign({}, ...changes));
  });

  it('should list tenants newest first with cursors, excluding deleted ones', async () => {
    const ids = [];
    for (let index = 0; index < 3; index++) {
      ids.push(await createTenant(testApp, { name: `Paged ${index}` }));
    }
    await testApp.http
      .delete(`/v1/admin/tenants/${ids[1]}`)
      .set(adminHeaders(admin))
      .send({ reason: 'cleanup' })
      .expect(204);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const response: { body: { items: { id: string }[]; nextCursor: string | null } } =
        await testApp.http
          .get('/v1/admin/tenants')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set(adminHeaders(admin, false))
          .expect(200);
      seen.push(...response.body.items.map((item: { id: string }) => item.id));
      cursor = response.body.nextCursor;
    } while (cursor !== null);

    expect(seen).toContain(ids[0]);
    expect(seen).toContain(ids[2]);
    expect(seen).not.toContain(ids[1]);
    expect(seen.indexOf(ids[2])).toBeLessThan(seen.indexOf(ids[0]));
  });

  it('should refuse a malformed cursor with 400', async () => {
    const response = await testApp.http
      .get('/v1/admin/tenants?cursor=eyJub3QiOiJ2YWxpZCJ9')
      .set(adminHeaders(admin, false))
      .expect(400);

    expect(response.body.code).toBe('validation_failed');
  });

  it('should require a reason to delete, then answer 404 for the deleted tenant', async () => {
    const tenantId = await createTenant(testApp, { name: 'Doomed' });

    await testApp.http.delete(`/v1/admin/tenants/${tenantId}`).set(adminHeaders(admin)).expect(400);
    const blank = await testApp.http
      .delete(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .send({ reason: '      ' })
      .expect(400);
    expect(blank.body.errors[0].field).toBe('reason');
    await testApp.http
      .get(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin, false))
      .expect(200);
    await testApp.http
      .delete(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .send({ reason: 'contract ended' })
      .expect(204);

    await testApp.http
      .get(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin, false))
      .expect(404);
    await testApp.http
      .patch(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .send({ name: 'zombie' })
      .expect(404);
    await testApp.http
      .delete(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin))
      .send({ reason: 'again' })
      .expect(404);
    await testApp.http
      .post(`/v1/admin/tenants/${tenantId}/api-keys`)
      .set(adminHeaders(admin))
      .send({ name: 'late', scopes: [] })
      .expect(404);
  });

  it('should answer 404 for an unknown tenant', async () => {
    await testApp.http
      .get('/v1/admin/tenants/ten_doesnotexist')
      .set(adminHeaders(admin, false))
      .expect(404);
    await testApp.http
      .get('/v1/admin/tenants/ten_doesnotexist/api-keys')
      .set(adminHeaders(admin, false))
      .expect(404);
  });

  it('should need a step-up token to mutate tenants but not to read them', async () => {
    await testApp.http.get('/v1/admin/tenants').set(adminHeaders(admin, false)).expect(200);
    const response = await testApp.http
      .post('/v1/admin/tenants')
      .set(adminHeaders(admin, false))
      .send({ name: 'No step-up' })
      .expect(403);

    expect(response.body.code).toBe('step_up_required');
  });

  it('should refuse blank names and names with control or bidi characters, on create and update', async () => {
    const tenantId = await createTenant(testApp, { name: 'Named' });
    const invalid = [
      '',
      '   ',
      'a\u0000b',
      'a\u0009b',
      'a\u009bb',
      'Acme\u202Egnp.exe',
      'x\u2069y',
      7,
    ];
    for (const name of invalid) {
      const created = await testApp.http
        .post('/v1/admin/tenants')
        .set(adminHeaders(admin))
        .send({ name })
        .expect(400);
      const updated = await testApp.http
        .patch(`/v1/admin/tenants/${tenantId}`)
        .set(adminHeaders(admin))
        .send({ name })
        .expect(400);

      for (const response of [created, updated]) {
        expect(response.body.code).toBe('validation_failed');
        expect(response.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
      }
    }

    const fetched = await testApp.http
      .get(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin, false))
      .expect(200);
    expect(fetched.body.name).toBe('Named');
  });

  it('should trim the surrounding whitespace of a name', async () => {
    const created = await testApp.http
      .post('/v1/admin/tenants')
      .set(adminHeaders(admin))
      .send({ name: '  Acme Freight \n' })
      .expect(201);
    expect(created.body.name).toBe('Acme Freight');

    const updated = await testApp.http
      .patch(`/v1/admin/tenants/${created.body.id}`)
      .set(adminHeaders(admin))
      .send({ name: '\tAcme Cargo ' })
      .expect(200);
    expect(updated.body.name).toBe('Acme Cargo');
  });

  it('should answer one message per setting of the wrong type', async () => {
    for (const [settings, field] of [
      [{ maxKeys: '10' }, 'settings.maxKeys'],
      [{ defaultRateLimitPerMinute: 'fast' }, 'settings.defaultRateLimitPerMinute'],
      [{ allowedCorsOrigins: 'https://app.example.com' }, 'settings.allowedCorsOrigins'],
    ] as const) {
      const response = await testApp.http
        .post('/v1/admin/tenants')
        .set(adminHeaders(admin))
        .send({ name: 'Typed', settings })
        .expect(400);

      expect(response.body.errors).toEqual([{ field, message: expect.any(String) }]);
    }

    const limit = await testApp.http
      .get('/v1/admin/tenants?limit=abc')
      .set(adminHeaders(admin, false))
      .expect(400);
    expect(limit.body.errors).toEqual([
      { field: 'limit', message: 'limit must be an integer from 1 to 100' },
    ]);
  });
});
