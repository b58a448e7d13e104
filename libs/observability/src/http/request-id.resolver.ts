import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';

export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * Keeps a caller's X-Request-Id when it is of sane form, so traces join up across services;
 * anything else (too long, odd characters, log-injection attempts) is replaced by a new id.
 */
export function resolveRequestId(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  if (typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming)) {
    return incoming;
  }

  return randomUUID();
}
