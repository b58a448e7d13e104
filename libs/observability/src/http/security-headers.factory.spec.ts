import fastifyHelmet from '@fastify/helmet';
import Fastify, { FastifyInstance } from 'fastify';
import { AccessLogWriter } from '../logging/access-log.writer';
import { registerRequestHooks } from './request.hooks';
import { API_HELMET_OPTIONS, apiSecurityHeaders, helmetHeaders } from './security-headers.factory';

const SILENT = AccessLogWriter.json(
  { write: () => undefined },
  { service: 's', stage: 'dev', version: undefined },
  false,
);

async function headersOf(app: FastifyInstance, url: string): Promise<Record<string, unknown>> {
  app.get('/ok', () => ({ status: 'ok' }));
  app.get('/docs', () => ({ status: 'ok' }));
  await app.ready();
  const response = await app.inject({ method: 'GET', url });
  await app.close();

  return Object.fromEntries(
    Object.entries(response.headers).filter(
      ([name]) => !['date', 'content-length', 'x-request-id'].includes(name),
    ),
  );
}

function withHooks(): FastifyInstance {
  const app = Fastify();
  registerRequestHooks(app, SILENT, { api: apiSecurityHeaders(), docs: helmetHeaders() });

  return app;
}

describe(helmetHeaders.name, () => {
  it.each(['/ok', '/missing'])(
    'should send on API answers (%s) what @fastify/helmet sends with the API options',
    async (url) => {
      const withPlugin = Fastify();
      await withPlugin.register(fastifyHelmet, { global: true, ...API_HELMET_OPTIONS });
      withPlugin.addHook('onRequest', (_request, reply, done) => {
        void reply.header('cache-control', 'no-store');
        done();
      });

      expect(await headersOf(withHooks(), url)).toEqual(await headersOf(withPlugin, url));
    },
  );

  it('should send on the docs pages exactly what @fastify/helmet sends by default', async () => {
    const withPlugin = Fastify();
    await withPlugin.register(fastifyHelmet, { global: true });

    expect(await headersOf(withHooks(), '/docs')).toEqual(await headersOf(withPlugin, '/docs'));
  });

  it('should forbid API answers from loading, being framed or being cached', () => {
    const headers = apiSecurityHeaders();

    expect(headers['content-security-policy']).toBe("default-src 'none';frame-ancestors 'none'");
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['referrer-policy']).toBe('no-referrer');
  });

  it("should keep helmet's document policy for the docs pages", () => {
    const headers = helmetHeaders();

    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});
