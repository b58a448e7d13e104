import { randomUUID } from 'node:crypto';
import { Socket } from 'node:net';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, ERROR_CATALOG, PROBLEM_TYPE_BASE, ProblemDetails } from '@app/common';
import { REQUEST_ID_HEADER } from '../http/request-id.resolver';

/** Writes an AppException as an RFC 9457 problem+json answer, unless one was already sent. */
export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  exception: AppException,
): void {
  if (reply.sent) {
    return;
  }

  const requestId = String(request.id);
  const body = problemBody(exception, (request.url ?? '/').split('?', 1)[0], requestId);

  void reply
    .status(exception.status)
    .headers(exception.headers ?? {})
    .header(REQUEST_ID_HEADER, requestId)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(body));
}

function problemBody(exception: AppException, instance: string, requestId: string): ProblemDetails {
  return {
    type: `${PROBLEM_TYPE_BASE}${exception.code.replace(/_/g, '-')}`,
    title: ERROR_CATALOG[exception.code].title,
    status: exception.status,
    detail: exception.detail,
    instance,
    code: exception.code,
    requestId,
    ...exception.extensions,
    ...(exception.errors ? { errors: exception.errors } : {}),
  };
}

/** How long a client that got a parser error answer may take to read it before the socket goes. */
const CLIENT_ERROR_LINGER_MS = 1000;

/**
 * Errors Node's HTTP parser raises before a request exists (oversized headers, a client too slow
 * to send them, garbage on the wire): the same problem+json, written on the socket, which is then
 * ended as Node's documented clientError handler does.
 */
export function sendClientErrorProblem(
  error: Error & { code?: string },
  socket: Socket,
  responseHeaders: Record<string, string>,
): void {
  // Not writable: the peer is gone, or this socket was already answered (the parser raises
  // again for every chunk a client keeps sending after its error).
  if (error.code === 'ECONNRESET' || !socket.writable) {
    return;
  }

  const exception =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? new AppException('headers_too_large', 'The request headers are larger than accepted.')
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new AppException('request_timeout', 'The request was not received in time.')
        : new AppException('bad_request', 'The request is not valid HTTP.');
  const requestId = randomUUID();
  const body = JSON.stringify(problemBody(exception, '/', requestId));
  const headers = {
    ...responseHeaders,
    [REQUEST_ID_HEADER]: requestId,
    'content-type': 'application/problem+json; charset=utf-8',
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n');

  // end, not write then destroy: destroying at once resets the connection while the client is
  // still sending, and the reset discards the answer before the client reads it.
  socket.end(
    `HTTP/1.1 ${exception.status} ${ERROR_CATALOG[exception.code].title}\r\n${head}\r\n\r\n${body}`,
  );

  // A client that neither reads the answer nor closes must not hold the socket.
  const linger = setTimeout(() => socket.destroy(), CLIENT_ERROR_LINGER_MS);
  linger.unref();
  socket.once('close', () => clearTimeout(linger));
}

/**
 * Errors Fastify raises before routing (a malformed or oversized URL), which never reach Nest's
 * filters: the same problem+json, plus the headers the request hooks had no chance to set.
 */
export function sendFrameworkProblem(
  error: Error & { code?: string },
  request: FastifyRequest,
  reply: FastifyReply,
  responseHeaders: Record<string, string>,
): void {
  const exception =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new AppException('uri_too_long', 'A path segment of the URL is too long.')
      : new AppException('bad_request', 'The URL is not valid.');

  void reply.headers(responseHeaders);
  sendProblem(request, reply, exception);
}
