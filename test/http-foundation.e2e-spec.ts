import { ProblemFilter } from '@app/observability';
import { startTestApp, TestApp } from './support/test-app';

function expectProblem(response: {
  headers: Record<string, string>;
  body: Record<string, unknown>;
}) {
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toEqual(
    expect.objectContaining({
      type: expect.stringMatching(/^https:\/\//),
      title: expect.any(String),
      status: expect.any(Number),
      detail: expect.any(String),
      instance: expect.any(String),
      code: expect.any(String),
      requestId: response.headers['x-request-id'],
    }),
  );
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(js|ts):\d+/);
}

describe(ProblemFilter.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ BODY_LIMIT: '1kb' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should answer malformed JSON with a 400 problem', async () => {
    const response = await testApp.http
      .post('/health/live')
      .set('content-type', 'application/json')
      .send('{"input": ')
      .expect(400);

    expectProblem(response);
    expect(response.body.code).toBe('malformed_json');
  });

  it('should answer a body over the limit with a 413 problem', async () => {
    const response = await testApp.http
      .post('/v1/anything')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ blob: 'x'.repeat(4096) }))
      .expect(413);

    expectProblem(response);
    expect(response.body.code).toBe('payload_too_large');
  });

  it('should answer an unknown path with a 404 problem', async () => {
    const response = await testApp.http.get('/v1/does-not-exist?secret=1').expect(404);

    expectProblem(response);
    expect(response.body.code).toBe('route_not_found');
    expect(response.body.instance).toBe('/v1/does-not-exist');
  });

  it('should answer a wrong method on a known path with a 405 problem and Allow', async () => {
    const response = await testApp.http.delete('/health/live').expect(405);

    expectProblem(response);
    expect(response.body.code).toBe('method_not_allowed');
    expect(response.headers.allow).toContain('GET');
  });

  it('should answer a known path with a trailing slash with a 404 problem, not a 405', async () => {
    const response = await testApp.http.get('/health/live/').expect(404);

    expectProblem(response);
    expect(response.body.code).toBe('route_not_found');
    expect(response.headers.allow).toBeUndefined();
  });

  it('should answer a malformed URL with a 400 problem and the usual headers', async () => {
    const response = await testApp.http.get('/v1/admin/tenants/%ZZ').expect(400);

    expectProblem(response);
    expect(response.body.code).toBe('bad_request');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('should answer an overlong path segment with a 414 problem', async () => {
    const response = await testApp.http.get(`/v1/admin/tenants/${'a'.repeat(300)}`).expect(414);

    expectProblem(response);
    expect(response.body.code).toBe('uri_too_long');
  });

  it('should answer oversized headers with a 431 problem', async () => {
    const response = await fetch(`${testApp.baseUrl}/health/live`, {
      headers: { 'x-api-key': 'k'.repeat(20000) },
    });
    const body = (await response.json()) as Record<string, unknown>;

    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toContain('application/problem+json');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(body).toEqual(
      expect.objectContaining({
        code: 'headers_too_large',
        requestId: response.headers.get('x-request-id'),
      }),
    );
  });

  it('should refuse TRACE', async () => {
    const response = await testApp.http.trace('/health/live').expect(405);

    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('should answer an unsupported content type with a 415 problem', async () => {
    const response = await testApp.http
      .post('/v1/admin/tenants')
      .set('content-type', 'application/x-unknown')
      .send('a=b')
      .expect(415);

    expectProblem(response);
  });

  it('should accept only JSON bodies, answering 415 for text and form bodies', async () => {
    for (const [type, body] of [
      ['text/plain', 'hello'],
      ['application/x-www-form-urlencoded', 'name=acme'],
    ]) {
      const response = await testApp.http
        .post('/v1/admin/tenants')
        .set('content-type', type)
        .send(body)
        .expect(415);

      expectProblem(response);
      expect(response.body.code).toBe('unsupported_media_type');
    }
  });

  it('should refuse a body nested too deeply with a 400 problem, not a 500', async () => {
    const deep = `${'{"a":'.repeat(150)}1${'}'.repeat(150)}`;
    const response = await testApp.http
      .post('/v1/admin/tenants')
      .set('content-type', 'application/json')
      .send(deep)
      .expect(400);

    expectProblem(response);
    expect(response.body.detail).toContain('nests deeper');
  });
});

describe('Request identity and HTTP hardening', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ CORS_ORIGINS: 'https://dashboard.dcisionai.com' });
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should keep a sane incoming request id and echo it', async () => {
    const response = await testApp.http
      .get('/health/live')
      .set('x-request-id', 'client-trace-0001')
      .expect(200);

    expect(response.headers['x-request-id']).toBe('client-trace-0001');
  });

  it('should replace an incoming request id that is not sane', async () => {
    const response = await testApp.http
      .get('/health/live')
      .set('x-request-id', 'bad id with spaces')
      .expect(200);

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should write one structured access line with the request id', async () => {
    const response = await testApp.http.get('/v1/not-here').set('x-request-id', 'access-0001');

    const line = testApp
      .logs()
      .map((raw) => JSON.parse(raw) as Record<string, unknown>)
      .find((entry) => entry.requestId === 'access-0001' && entry.msg === 'request completed');
    expect(response.status).toBe(404);
    expect(line).toEqual(
      expect.objectContaining({ method: 'GET', path: '/v1/not-here', status: 404 }),
    );
    expect(typeof line?.durationMs).toBe('number');
  });

  it('should send security headers', async () => {
    const response = await testApp.http.get('/health/live').expect(200);

    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['strict-transport-security']).toContain('max-age=');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('should allow CORS only for configured origins', async () => {
    const allowed = await testApp.http
      .options('/health/live')
      .set('origin', 'https://dashboard.dcisionai.com')
      .set('access-control-request-method', 'GET');
    const refused = await testApp.http
      .options('/health/live')
      .set('origin', 'https://evil.example.com')
      .set('access-control-request-method', 'GET');
    const nullOrigin = await testApp.http.get('/health/live').set('origin', 'null');

    expect(allowed.headers['access-control-allow-origin']).toBe('https://dashboard.dcisionai.com');
    expect(refused.headers['access-control-allow-origin']).toBeUndefined();
    expect(nullOrigin.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('should let an allowed origin read the request id and retry hints', async () => {
    const response = await testApp.http
      .get('/health/live')
      .set('origin', 'https://dashboard.dcisionai.com')
      .expect(200);

    const exposed = String(response.headers['access-control-expose-headers']).toLowerCase();
    expect(exposed).toContain('x-request-id');
    expect(exposed).toContain('retry-after');
  });

  it('should never answer an OPTIONS request with a plain-text error', async () => {
    const response = await testApp.http.options('/health/live');

    expect(response.headers['content-type'] ?? '').not.toContain('text/plain');
    expect(response.status === 204 || /problem\+json/.test(response.headers['content-type'])).toBe(
      true,
    );
  });
});

describe('API documentation', () => {
  it('should serve a valid OpenAPI 3 document and the Swagger UI', async () => {
    const testApp = await startTestApp();
    try {
      const document = await testApp.http.get('/docs-json').expect(200);
      const ui = await testApp.http.get('/docs').redirects(1).expect(200);

      expect(document.body.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(document.body.info.title).toBe('DcisionAI Platform API');
      expect(document.body.paths['/health/live'].get).toBeDefined();
      expect(document.body.components.securitySchemes.apiKey).toEqual(
        expect.objectContaining({ type: 'apiKey', in: 'header', name: 'X-API-Key' }),
      );
      expect(ui.text).toContain('swagger');
    } finally {
      await testApp.close();
    }
  });

  it('should document problem+json errors on every operation', async () => {
    const testApp = await startTestApp();
    try {
      const { body: document } = await testApp.http.get('/docs-json').expect(200);
      const operations = Object.values(document.paths).flatMap((item) =>
        Object.values(item as Record<string, { responses: Record<string, unknown> }>),
      );

      expect(document.components.schemas.Problem.required).toContain('requestId');
      expect(operations.length).toBeGreaterThan(5);
      for (const operation of operations) {
        for (const status of ['4XX', '5XX']) {
          expect(operation.responses[status]).toEqual(
            expect.objectContaining({
              content: {
                'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
              },
            }),
          );
        }
      }
    } finally {
      await testApp.close();
    }
  });

  it('should not serve documentation in prod unless enabled', async () => {
    const testApp = await startTestApp({ STAGE: 'prod' });
    try {
      await testApp.http.get('/docs-json').expect(404);
    } finally {
      await testApp.close();
    }
  });
});
