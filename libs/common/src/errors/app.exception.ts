import { ERROR_CATALOG, ErrorCode } from './error.catalog';

/** One offending location in a request, named by a JSON pointer-like path. */
export interface FieldError {
  field: string;
  message: string;
}

export interface AppExceptionOptions {
  errors?: FieldError[];
  headers?: Record<string, string>;
  cause?: unknown;
  /** Extra members for the problem body, such as limits or retry hints. */
  extensions?: Record<string, unknown>;
}

/**
 * The one exception type modules raise. The code decides status and title; the detail is
 * safe to show to the client, so it must never carry secrets or internal state.
 */
export class AppException extends Error {
  readonly status: number;
  readonly errors?: FieldError[];
  readonly headers?: Record<string, string>;
  readonly extensions?: Record<string, unknown>;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string = ERROR_CATALOG[code].title,
    options: AppExceptionOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.name = 'AppException';
    this.status = ERROR_CATALOG[code].status;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }
}
