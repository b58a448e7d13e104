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

/**
 * Helmet's options for API answers: JSON that no browser should render, frame or cache. A CSP
 * of `default-src 'none'` forbids everything a mistakenly rendered answer could load, and the
 * headers that only concern HTML documents (DNS prefetch, IE downloads, Flash policies, the XSS
 * auditor, origin-keyed agent clusters) are left out: every byte is paid on every answer.
 */
export const API_HELMET_OPTIONS: HelmetOptions = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  xFrameOptions: { action: 'deny' },
  originAgentCluster: false,
  xDnsPrefetchControl: false,
  xDownloadOptions: false,
  xPermittedCrossDomainPolicies: false,
  xXssProtection: false,
};

/** The headers every API answer carries: helmet's for APIs, and no caching of any answer. */
export function apiSecurityHeaders(): Record<string, string> {
  // Answers carry keys, secrets and tenant data: no shared or private cache may keep them.
  return { ...helmetHeaders(API_HELMET_OPTIONS), 'cache-control': 'no-store' };
}
