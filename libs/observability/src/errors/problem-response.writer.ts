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
  const body: ProblemDetails = {
    type: `${PROBLEM_TYPE_BASE}${exception.code.replace(/_/g, '-')}`,
    title: ERROR_CATALOG[exception.code].title,
    status: exception.status,
    detail: exception.detail,
    instance: (request.url ?? '/').split('?', 1)[0],
    code: exception.code,
    requestId,
    ...exception.extensions,
    ...(exception.errors ? { errors: exception.errors } : {}),
  };

  void reply
    .status(exception.status)
    .headers(exception.headers ?? {})
    .header(REQUEST_ID_HEADER, requestId)
    .header('content-type', 'application/problem+json; charset=utf-8')
    .send(JSON.stringify(body));
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
