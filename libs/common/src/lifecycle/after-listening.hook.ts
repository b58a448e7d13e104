import { HttpAdapterHost } from '@nestjs/core';

interface ListeningServer {
  once?: (event: 'listening', listener: () => void) => unknown;
}

/**
 * How long after listening deferred work waits: long enough for the requests that were waiting
 * for a fresh instance (a load balancer's health check, the first call) to be answered first.
 */
const DEFER_MS = 200;

/**
 * Runs deferrable start-up work (compiling validators, starting solver threads) shortly after
 * the HTTP server listens, so a fresh instance answers its first requests before paying for
 * it. Outside an HTTP app (CLI, tests of a module) nothing is scheduled and the work happens on
 * first use instead; first use also comes first when a request needs the work sooner.
 */
export function afterListening(adapterHost: HttpAdapterHost | undefined, work: () => void): void {
  const server = adapterHost?.httpAdapter?.getHttpServer() as ListeningServer | undefined;
  server?.once?.('listening', () => setTimeout(work, DEFER_MS).unref());
}
