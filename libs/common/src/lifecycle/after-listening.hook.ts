import { HttpAdapterHost } from '@nestjs/core';

interface ListeningServer {
  once?: (event: 'listening', listener: () => void) => unknown;
}

/**
 * Runs deferrable start-up work (compiling validators, starting solver threads) once the HTTP
 * server listens, after its listen callback, so a fresh instance answers its first request
 * before paying for it. Outside an HTTP app (CLI, tests of a module) nothing is scheduled and the
 * work happens on first use instead.
 */
export function afterListening(adapterHost: HttpAdapterHost | undefined, work: () => void): void {
  const server = adapterHost?.httpAdapter?.getHttpServer() as ListeningServer | undefined;
  server?.once?.('listening', () => setImmediate(work));
}
