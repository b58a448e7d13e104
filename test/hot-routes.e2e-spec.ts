import { HotRoutes } from '@app/auth';
import {
  adminHeaders,
  adminSession,
  createApiKey,
  createTenantWithKey,
  TenantWithKey,
} from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

/** Headers that differ between any two answers. */
const PER_ANSWER_HEADERS = new Set(['date', 'x-request-id']);

describe(HotRoutes.name, () => {
  let testApp: TestApp;
  let tenant: TenantWithKey;

  const listTools = (key: string, query = '') =>
    testApp.http.get(`/v1/tools${query}`).set('X-API-Key', key);
  const linesOf = (requestId: string) =>
    testApp
      .logs()
      .filter((line) => line.includes(requestId))
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  beforeAll(async () => {
    testApp = await startTestApp();
    tenant = await createTenantWithKey(testApp, ['tools:read']);
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should give GET /v1/tools, and only it, the fast answer', () => {
    const routes = testApp.app
      .getHttpAdapter()
      .getInstance()
      .printRoutes({ includeHooks: true, commonPrefix: false });

    const lines = routes.split('\n');
    const route = lines.findIndex((line) => line.includes('/v1/tools (GET)'));
    const hook = lines.findIndex((line) => line.includes('hotAnswer'));

    expect(routes.match(/hotAnswer/g)).toHaveLength(1);
    expect(route).toBeGreaterThanOrEqual(0);
    expect(hook).toBeGreaterThan(route);
    // Only that route's own hook lines (•) stand between the route and the fast answer.
    expect(lines.slice(route + 1, hook).every((line) => line.includes('•'))).toBe(true);
  });

  it('should answer a cached key exactly as its first, uncached request', async () => {
    const { key } = await createApiKey(testApp, tenant.tenantId, ['tools:read']);

    const first = await listTools(key).expect(200);
    const cached = await listTools(key).expect(200);

    expect(cached.text).toBe(first.text);
    const comparable = (headers: Record<string, string>) =>
      Object.entries(headers).filter(([name]) => !PER_ANSWER_HEADERS.has(name));
    expect(comparable(cached.headers)).toEqual(comparable(first.headers));
    expect(cached.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
  });

  it('should write one access line naming the tenant and key of a fast answer', async () => {
    await listTools(tenant.key).expect(200);

    const response = await listTools(tenant.key).expect(200);

    const lines = linesOf(response.headers['x-request-id']);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      msg: 'request completed',
      method: 'GET',
      path: '/v1/tools',
      status: 200,
      tenantId: tenant.tenantId,
      keyId: tenant.keyId,
    });
  });

  it('should answer 400 problem+json for a bad category from a cached key', async () => {
    await listTools(tenant.key).expect(200);

    const response = await listTools(tenant.key, '?category=magic').expect(400);

    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({
      code: 'validation_failed',
      requestId: response.headers['x-request-id'],
    });
  });

  it('should refuse a cached key lacking the scope, logging each refusal once', async () => {
    const invokeOnly = await createApiKey(testApp, tenant.tenantId, ['tools:invoke']);

    for (let call = 0; call < 3; call++) {
      const response = await listTools(invokeOnly.key).expect(403);

      expect(response.body.code).toBe('insufficient_scope');
      const refusals = linesOf(response.headers['x-request-id']).filter(
        (line) => line.msg === 'API key lacks a scope',
      );
      expect(refusals).toHaveLength(1);
    }
  });

  it('should refuse a cached key used outside its allowed ranges', async () => {
    const elsewhere = await createApiKey(testApp, tenant.tenantId, ['tools:read'], {
      allowedCidrs: ['10.0.0.0/8'],
    });

    for (let call = 0; call < 3; call++) {
      const response = await listTools(elsewhere.key).expect(403);

      expect(response.body.code).toBe('ip_not_allowed');
    }
  });

  it('should refuse a cached key at once once it is revoked or its tenant suspended', async () => {
    const admin = await adminSession(testApp);
    const other = await createTenantWithKey(testApp, ['tools:read']);
    const revoked = await createApiKey(testApp, other.tenantId, ['tools:read']);
    await listTools(revoked.key).expect(200);
    await listTools(revoked.key).expect(200);
    await listTools(other.key).expect(200);

    await testApp.http
      .delete(`/v1/admin/tenants/${other.tenantId}/api-keys/${revoked.keyId}`)
      .set(adminHeaders(admin))
      .expect(204);
    const unauthenticated = await listTools(revoked.key).expect(401);
    await testApp.http
      .patch(`/v1/admin/tenants/${other.tenantId}`)
      .set(adminHeaders(admin))
      .send({ status: 'suspended' })
      .expect(200);
    const suspended = await listTools(other.key).expect(403);

    expect(unauthenticated.body.code).toBe('unauthenticated');
    expect(suspended.body.code).toBe('tenant_suspended');
    await listTools(tenant.key).expect(200);
  });
});
