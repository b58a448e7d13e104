import fastifyHelmet from '@fastify/helmet';
import Fastify, { FastifyInstance } from 'fastify';
import pino from 'pino';
import { registerRequestHooks } from './request.hooks';
import { helmetHeaders } from './security-headers.factory';

async function headersOf(app: FastifyInstance, url: string): Promise<Record<string, unknown>> {
  app.get('/ok', () => ({ status: 'ok' }));
  await app.ready();
  const response = await app.inject({ method: 'GET', url });
  await app.close();

  return Object.fromEntries(
    Object.entries(response.headers).filter(
      ([name]) => !['date', 'content-length', 'x-request-id'].includes(name),
    ),
  );
}

describe(helmetHeaders.name, () => {
  it.each(['/ok', '/missing'])(
    'should send exactly what @fastify/helmet sends on %s',
    async (url) => {
      const withPlugin = Fastify();
      await withPlugin.register(fastifyHelmet, { global: true });
      const withHook = Fastify();
      registerRequestHooks(withHook, pino({ level: 'silent' }), helmetHeaders());

      expect(await headersOf(withHook, url)).toEqual(await headersOf(withPlugin, url));
    },
  );

  it('should include the headers that matter most', () => {
    const headers = helmetHeaders();

    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains$/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});
