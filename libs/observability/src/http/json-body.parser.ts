import { FastifyInstance } from 'fastify';
import { AppException } from '@app/common';

/** Deeper bodies are refused: no request of this API nests anywhere near this far. */
export const MAX_JSON_DEPTH = 64;

/**
 * JSON is the only body this API accepts: every other media type answers 415. Bodies are parsed
 * by Fastify's own parser (prototype-poisoning checks included), then refused when nested past
 * MAX_JSON_DEPTH, before recursive code (validation, class-transformer) can overflow the stack.
 */
export function registerJsonBodyParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    // parseAs: 'string' hands the parser a string.
    void parse(request, body as string, (error, value) => {
      if (error) {
        done(error, undefined);

        return;
      }
      if (exceedsDepth(value, MAX_JSON_DEPTH)) {
        done(
          new AppException(
            'bad_request',
            `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`,
          ),
          undefined,
        );

        return;
      }

      done(null, value);
    });
  });
}

/** Iterative, so the check itself cannot overflow the stack it protects. */
export function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) {
      continue;
    }
    if (depth > maxDepth) {
      return true;
    }

    for (const child of Object.values(current)) {
      if (typeof child === 'object' && child !== null) {
        pending.push([child, depth + 1]);
      }
    }
  }

  return false;
}
