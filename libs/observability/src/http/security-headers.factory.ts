import { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { HelmetOptions } from 'helmet';

/**
 * Helmet's response headers, computed once. @fastify/helmet builds helmet's whole middleware
 * chain again on every request (parsing the CSP directives each time) and sets each header
 * through Node's validating setHeader: about a sixth of a health check's CPU here. With static
 * options (no CSP nonces or per-request directive functions) the headers are the same for every
 * response, so helmet itself runs once against a recording response and its output is reused.
 */
export function helmetHeaders(options: HelmetOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]): void {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string): void {
      delete headers[name.toLowerCase()];
    },
  };

  // Helmet calls back synchronously; an invalid option is thrown by helmet() itself.
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error !== undefined) {
        throw new Error('helmet could not build its headers', { cause: error });
      }
    },
  );

  return headers;
}
