import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AppException, ERROR_CATALOG, ErrorCode } from '@app/common';
import { isDatabaseUnavailableError } from '@app/dynamo';
import { RouteMethods } from '../http/route-methods.registry';
import { sendProblem } from './problem-response.writer';

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad_request',
  401: 'unauthenticated',
  403: 'forbidden',
  404: 'route_not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'service_unavailable',
};

const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed_json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed_json',
};

const TRACE_METHODS = new Set(['TRACE', 'TRACK', 'CONNECT']);

interface FrameworkError {
  code?: unknown;
  statusCode?: unknown;
  name?: unknown;
}

/**
 * Answers every error of the service as RFC 9457 problem+json with a stable code and the
 * request id. Client errors say what was wrong; server errors say nothing beyond the request
 * id, and the full error is logged under that id.
 */
@Catch()
export class ProblemFilter implements ExceptionFilter {
  private readonly logger = new Logger(ProblemFilter.name);

  constructor(private readonly routes: RouteMethods) {}

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const exception = this.toAppException(error, request);
    const requestId = String(request.id);
    const path = (request.url ?? '/').split('?')[0];

    if (exception.code === 'internal_error') {
      this.logger.error(
        { requestId, method: request.method, path, err: error },
        'Request failed with an unexpected error; the client saw only the request id',
      );
    } else if (exception.status >= 500) {
      // A deliberate 5xx (database down, dependency not ready, solve timed out) is an operating
      // condition the client may retry, not a bug: a warning, with the underlying error if any.
      this.logger.warn(
        {
          requestId,
          method: request.method,
          path,
          code: exception.code,
          detail: exception.detail,
          err: error === exception ? undefined : error,
        },
        'Request answered with a retryable server-side condition',
      );
    }

    sendProblem(request, reply, exception);
  }

  private toAppException(error: unknown, request: FastifyRequest): AppException {
    if (error instanceof AppException) {
      return error;
    }
    if (isDatabaseUnavailableError(error)) {
      return new AppException(
        'database_unavailable',
        'The database did not answer in time. Retry the request shortly.',
        { headers: { 'retry-after': '1' } },
      );
    }
    if (error instanceof HttpException) {
      return this.fromHttpException(error, request);
    }

    return this.fromFrameworkError(error);
  }

  private fromHttpException(error: HttpException, request: FastifyRequest): AppException {
    const status = error.getStatus();
    if (status === 404) {
      // Nest's not-found handler runs with no matched route; a 404 raised by a matched route's
      // own code is a missing resource, and must not be answered as a wrong method.
      return request.routeOptions.url === undefined
        ? this.routeNotFound(request)
        : new AppException('not_found', clientMessage(error) ?? ERROR_CATALOG.not_found.title);
    }
    if (status >= 500) {
      return new AppException('internal_error', genericDetail(), { cause: error });
    }

    // Nest rewraps Fastify's body errors as plain HttpExceptions, dropping their codes.
    const message = clientMessage(error);
    if (status === 400 && message !== undefined && /JSON/.test(message)) {
      return new AppException('malformed_json', frameworkDetail('malformed_json'));
    }

    const code = STATUS_CODES[status] ?? 'bad_request';
    if (code === 'payload_too_large' || code === 'unsupported_media_type') {
      return new AppException(code, frameworkDetail(code));
    }

    return new AppException(code, message ?? ERROR_CATALOG[code].title);
  }

  private fromFrameworkError(error: unknown): AppException {
    const shape = (typeof error === 'object' && error !== null ? error : {}) as FrameworkError;
    const status = typeof shape.statusCode === 'number' ? shape.statusCode : 500;
    const mapped = typeof shape.code === 'string' ? FASTIFY_CODES[shape.code] : undefined;

    if (mapped !== undefined) {
      return new AppException(mapped, frameworkDetail(mapped));
    }
    if (status === 400 && shape.name === 'SyntaxError') {
      return new AppException('malformed_json', frameworkDetail('malformed_json'));
    }
    if (status >= 400 && status < 500) {
      const code = STATUS_CODES[status] ?? 'bad_request';

      return new AppException(code, ERROR_CATALOG[code].title);
    }

    return new AppException('internal_error', genericDetail(), { cause: error });
  }

  private routeNotFound(request: FastifyRequest): AppException {
    const path = (request.url ?? '/').split('?')[0];
    const allowed = this.routes.allowedFor(path);
    if (TRACE_METHODS.has(request.method) || allowed.length > 0) {
      const allow = allowed.filter((method) => !TRACE_METHODS.has(method));

      return new AppException(
        'method_not_allowed',
        `${request.method} is not allowed on this path.`,
        allow.length > 0 ? { headers: { allow: allow.join(', ') } } : {},
      );
    }

    return new AppException('route_not_found', `No route matches ${request.method} ${path}.`);
  }
}

function genericDetail(): string {
  return 'The server could not complete the request. Quote the request id when reporting it.';
}

function frameworkDetail(code: ErrorCode): string {
  switch (code) {
    case 'payload_too_large':
      return 'The request body is larger than this API accepts.';
    case 'unsupported_media_type':
      return 'Send the body as application/json.';
    case 'malformed_json':
      return 'The request body is not valid JSON.';
    default:
      return ERROR_CATALOG[code].title;
  }
}

function clientMessage(error: HttpException): string | undefined {
  const response = error.getResponse();
  if (typeof response === 'string') {
    return response;
  }

  const message = (response as { message?: unknown }).message;

  return typeof message === 'string' ? message : undefined;
}
