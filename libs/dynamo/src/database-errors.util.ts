const UNAVAILABLE_NAMES = new Set([
  'TimeoutError',
  'AbortError',
  'RequestTimeout',
  'RequestTimeoutException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'ResourceNotFoundException',
  'UnrecognizedClientException',
]);

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * True when an error means the database could not serve the request (down, slow, throttled or
 * missing a table), as opposed to a request the database refused. Such errors become 503s and
 * the next request tries again, so the service recovers by itself.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const shape = current as ErrorShape;
    if (typeof shape.name === 'string' && UNAVAILABLE_NAMES.has(shape.name)) {
      return true;
    }
    if (typeof shape.code === 'string' && UNAVAILABLE_CODES.has(shape.code)) {
      return true;
    }
    if ((shape.$metadata?.httpStatusCode ?? 0) >= 500) {
      return true;
    }
    current = shape.cause;
  }

  return false;
}

/** True when a conditional write was refused because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as ErrorShape).name === 'ConditionalCheckFailedException'
  );
}
