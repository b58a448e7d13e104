import { FastifyInstance } from 'fastify';
import { Principal } from '@app/auth';
import { AppException } from '@app/common';
import { sendProblem } from '../errors/problem-response.writer';
import { AccessLogWriter } from '../logging/access-log.writer';
import { REQUEST_ID_HEADER } from './request-id.resolver';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the access guard; null until a credential has been verified. */
    principal: Principal | null;
  }
}

const SHUTTING_DOWN = new AppException(
  'service_unavailable',
  'This instance is shutting down. Retry the request.',
  { headers: { 'retry-after': '1' } },
);

/** The API's documentation pages: HTML and scripts, which need helmet's document headers. */
const DOCS_PREFIX = '/docs';

/** Which security headers go on which answers, computed once at start. */
export interface ResponseSecurityHeaders {
  api: Record<string, string>;
  docs: Record<string, string>;
}

/** Probes are polled every few seconds; logging them would drown the lines that matter. */
const UNLOGGED_PREFIX = '/health/';

/**
 * Per-request work done as Fastify hooks rather than Nest interceptors or middleware: set the
 * security headers, echo the request id and write one access line per response. Plain hooks
 * keep the hot path cheap.
 */
export function registerRequestHooks(
  fastify: FastifyInstance,
  accessLog: AccessLogWriter,
  securityHeaders: ResponseSecurityHeaders,
): void {
  let closing = false;
  fastify.decorateRequest('principal', null);
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });

  // One hook for every header a response always carries: each hook is a cost on every request.
  fastify.addHook('onRequest', (request, reply, done) => {
    const headers = request.url.startsWith(DOCS_PREFIX)
      ? securityHeaders.docs
      : securityHeaders.api;
    void reply.headers(headers).header(REQUEST_ID_HEADER, request.id);
    if (closing) {
      // Requests that reach a draining instance get a problem a client knows to retry, and
      // their connection is closed so the next attempt goes to a live instance.
      void reply.header('connection', 'close');
      sendProblem(request, reply, SHUTTING_DOWN);

      return;
    }

    done();
  });

  fastify.addHook('onResponse', (request, reply, done) => {
    const url = request.url;
    const query = url.indexOf('?');
    const path = query < 0 ? url : url.slice(0, query);
    if (!accessLog.enabled || path.startsWith(UNLOGGED_PREFIX)) {
      done();

      return;
    }

    const principal = request.principal;
    accessLog.write({
      requestId: request.id,
      method: request.method,
      path,
      route: request.routeOptions.url,
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime * 100) / 100,
      tenantId: principal?.kind === 'tenant' ? principal.tenantId : undefined,
      keyId: principal?.kind === 'tenant' ? principal.keyId : principal?.adminKeyId,
    });
    done();
  });
}
