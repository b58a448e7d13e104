import { connect } from 'node:net';
import Ajv from 'ajv';
import { DynamoConnection, TABLE_DEFINITIONS } from '@app/dynamo';
import { ProblemFilter } from '@app/observability';
import { adminHeaders, adminSession, createTenant } from './support/identity-fixtures';
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

/**
 * The fields OpenAPI 3 requires of a document, its operations, responses, parameters and
 * security schemes: no OpenAPI schema package is installed, and none is fetched at test time.
 */
const OPENAPI_3_REQUIRED = {
  type: 'object',
  required: ['openapi', 'info', 'paths'],
  properties: {
    openapi: { type: 'string', pattern: '^3\\.\\d+\\.\\d+$' },
    info: {
      type: 'object',
      required: ['title', 'version'],
      properties: { title: { type: 'string' }, version: { type: 'string' } },
    },
    paths: {
      type: 'object',
      propertyNames: { pattern: '^/' },
      additionalProperties: {
        type: 'object',
        patternProperties: {
          '^(get|put|post|delete|options|head|patch|trace)$': { $ref: '#/$defs/operation' },
        },
      },
    },
    components: {
      type: 'object',
      properties: {
        schemas: { type: 'object', additionalProperties: { type: 'object' } },
        securitySchemes: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: { type: { enum: ['apiKey', 'http', 'oauth2', 'openIdConnect'] } },
            if: { properties: { type: { const: 'apiKey' } } },
            then: {
              required: ['name', 'in'],
              properties: { in: { enum: ['query', 'header', 'cookie'] } },
            },
          },
        },
      },
    },
  },
  $defs: {
    operation: {
      type: 'object',
      required: ['responses'],
      properties: {
        responses: {
          type: 'object',
          minProperties: 1,
          propertyNames: { pattern: '^([1-5](\\d\\d|XX)|default)$' },
          additionalProperties: {
            type: 'object',
            required: ['description'],
            properties: { description: { type: 'string' } },
          },
        },
        parameters: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name', 'in'],
            properties: { in: { enum: ['query', 'header', 'path', 'cookie'] } },
            if: { properties: { in: { const: 'path' } } },
            then: { required: ['required'], properties: { required: { const: true } } },
          },
        },
      },
    },
  },
};

/**
 * Sends headers past the limit and keeps sending more of them before reading anything, as a
 * client uploading a large request does; answers everything it read once the server closed.
 */
function sendOversizedHeadersSlowly(port: number): Promise<string> {
  return new Promise((resolveAnswer) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => {
      socket.pause();
      socket.write(`GET /health/live HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'k'.repeat(20000)}`);
      let chunks = 0;
      const more = setInterval(() => {
        if (chunks++ < 10) {
          socket.write('k'.repeat(50000));

          return;
        }
        clearInterval(more);
        socket.write('\r\n\r\n');
        setTimeout(() => socket.resume(), 100);
      }, 20);
      socket.once('close', () => clearInterval(more));
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    // A reset is what the client sees when the server drops the connection under it.
    socket.on('error', () => undefined);
    socket.once('close', () => resolveAnswer(answer));
  });
}

describe(ProblemFilter.name, () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ BODY_LIMIT: '1kb', TOOLS_MAX_LP_LENGTH: '512' });
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

  it('should deliver the 431 problem to a client still sending its headers', async () => {
    const answer = await sendOversizedHeadersSlowly(Number(new URL(testApp.baseUrl).port));
    const [head, body] = answer.split('\r\n\r\n');

    expect(head).toMatch(/^HTTP\/1\.1 431 /);
    expect(head).toContain('content-type: application/problem+json');
    expect(JSON.parse(body)).toEqual(expect.objectContaining({ code: 'headers_too_large' }));
  });

  it('should refuse TRACE with a 405 problem', async () => {
    const response = await testApp.http.trace('/health/live').expect(405);

    expectProblem(response);
    expect(response.body).toEqual(
      expect.objectContaining({
        status: 405,
        code: 'method_not_allowed',
        requestId: response.headers['x-request-id'],
      }),
    );
  });

  it('should answer an unexpected error with a generic 500 and log it under the request id', async () => {
    // Data another writer left in a shape the code does not expect: a real unexpected error.
    const admin = await adminSession(testApp);
    const tenantId = await createTenant(testApp, { name: 'Corrupted later' });
    const connection = testApp.app.get(DynamoConnection);
    await connection.client.updateItem({
      TableName: connection.tableName(TABLE_DEFINITIONS.tenants),
      Key: { id: { S: tenantId } },
      UpdateExpression: 'SET #name = :name',
      ExpressionAttributeNames: { '#name': 'name' },
      ExpressionAttributeValues: { ':name': { N: '42' } },
    });

    const response = await testApp.http
      .get(`/v1/admin/tenants/${tenantId}`)
      .set(adminHeaders(admin, false))
      .expect(500);
    const line = testApp
      .logs()
      .map((raw) => JSON.parse(raw) as Record<string, unknown>)
      .find((entry) => entry.requestId === response.body.requestId && entry.level === 'error');
    const logged = line?.err as { message?: string; stack?: string } | undefined;

    expectProblem(response);
    expect(response.body).toEqual(
      expect.objectContaining({
        status: 500,
        code: 'internal_error',
        detail:
          'The server could not complete the request. Quote the request id when reporting it.',
      }),
    );
    expect(logged?.message).toEqual(expect.any(String));
    expect(logged?.stack).toEqual(expect.any(String));
    expect(JSON.stringify(response.body)).not.toContain(String(logged?.message));
    expect(line).toEqual(
      expect.objectContaining({ method: 'GET', path: `/v1/admin/tenants/${tenantId}` }),
    );
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

  it('should send API security headers that forbid rendering, framing and caching', async () => {
    const response = await testApp.http.get('/health/live').expect(200);
    const problem = await testApp.http.get('/v1/not-here').expect(404);

    for (const headers of [response.headers, problem.headers]) {
      expect(headers['x-content-type-options']).toBe('nosniff');
      expect(headers['strict-transport-security']).toContain('max-age=');
      expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
      expect(headers['x-frame-options']).toBe('DENY');
      expect(headers['cache-control']).toBe('no-store');
    }
  });

  it("should send helmet's document headers on the docs pages", async () => {
    const response = await testApp.http.get('/docs').redirects(1).expect(200);

    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
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

  it('should serve a document that has every field OpenAPI 3 requires', async () => {
    const testApp = await startTestApp();
    try {
      const { body: document } = await testApp.http.get('/docs-json').expect(200);
      const validate = new Ajv({ allErrors: true }).compile(OPENAPI_3_REQUIRED);

      expect(validate(document) ? [] : validate.errors).toEqual([]);
    } finally {
      await testApp.close();
    }
  });

  it('should not serve the document as YAML', async () => {
    const testApp = await startTestApp();
    try {
      const response = await testApp.http.get('/docs-yaml').expect(404);

      expectProblem(response);
      expect(response.body.code).toBe('route_not_found');
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

  it('should serve documentation in prod when DOCS_ENABLED=true', async () => {
    const testApp = await startTestApp({ STAGE: 'prod', DOCS_ENABLED: 'true' });
    try {
      const document = await testApp.http.get('/docs-json').expect(200);

      expect(document.body.openapi).toMatch(/^3\.\d+\.\d+$/);
      await testApp.http.get('/docs-yaml').expect(404);
    } finally {
      await testApp.close();
    }
  });
});
