/**
 * Why the database could not serve a request. `credentials`, `endpoint` and `missing_table` are
 * configuration faults: they last until an operator fixes the environment or the tables.
 */
export type DatabaseFault =
  'timeout' | 'network' | 'throttled' | 'server' | 'missing_table' | 'credentials' | 'endpoint';

const FAULTS_BY_NAME: Readonly<Record<string, DatabaseFault>> = {
  TimeoutError: 'timeout',
  AbortError: 'timeout',
  RequestTimeout: 'timeout',
  RequestTimeoutException: 'timeout',
  ProvisionedThroughputExceededException: 'throttled',
  ThrottlingException: 'throttled',
  RequestLimitExceeded: 'throttled',
  InternalServerError: 'server',
  ServiceUnavailable: 'server',
  ServiceUnavailableException: 'server',
  ResourceNotFoundException: 'missing_table',
  // The SDK found no credentials in its default chain (a non-loopback endpoint with no AWS
  // environment, profile or role), or DynamoDB refused the ones it signed with.
  CredentialsProviderError: 'credentials',
  TokenProviderError: 'credentials',
  UnrecognizedClientException: 'credentials',
  InvalidSignatureException: 'credentials',
  IncompleteSignatureException: 'credentials',
  MissingAuthenticationTokenException: 'credentials',
  ExpiredTokenException: 'credentials',
  AccessDeniedException: 'credentials',
  // An answer without a DynamoDB error type: a proxy, another service or a wrong port.
  UnknownError: 'endpoint',
};

const FAULTS_BY_CODE: Readonly<Record<string, DatabaseFault>> = {
  ECONNREFUSED: 'network',
  ECONNRESET: 'network',
  ECONNABORTED: 'network',
  ETIMEDOUT: 'network',
  EPIPE: 'network',
  ENOTFOUND: 'network',
  EAI_AGAIN: 'network',
  EHOSTUNREACH: 'network',
  EHOSTDOWN: 'network',
  ENETUNREACH: 'network',
  ENETDOWN: 'network',
  EADDRNOTAVAIL: 'network',
  UND_ERR_SOCKET: 'network',
  // TLS spoken to a plain HTTP port, or a certificate the process does not trust.
  EPROTO: 'endpoint',
  CERT_HAS_EXPIRED: 'endpoint',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'endpoint',
  SELF_SIGNED_CERT_IN_CHAIN: 'endpoint',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'endpoint',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'endpoint',
  ERR_TLS_CERT_ALTNAME_INVALID: 'endpoint',
};

/** Code prefixes of an endpoint that does not speak HTTP (HPE_) or TLS as expected (ERR_SSL_). */
const ENDPOINT_CODE_PREFIXES = ['HPE_', 'ERR_SSL_'];

const CONFIGURATION_FAULTS: ReadonlySet<DatabaseFault> = new Set([
  'credentials',
  'endpoint',
  'missing_table',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number };
}

/**
 * What kept the database from serving a request (down, slow, throttled, misconfigured or
 * missing a table), or undefined for a request the database refused and for any other error.
 */
export function classifyDatabaseFault(error: unknown): DatabaseFault | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const shape: ErrorShape = current;
    const fault = ownFault(shape);
    if (fault !== undefined) {
      return fault;
    }
    current = shape.cause;
  }

  return undefined;
}

/**
 * True when an error means the database could not serve the request, as opposed to a request
 * the database refused. Such errors become 503s and the next request tries again, so the
 * service recovers by itself once the database (or its configuration) is back.
 */
export function isDatabaseUnavailableError(error: unknown): boolean {
  return classifyDatabaseFault(error) !== undefined;
}

/** True for faults no retry fixes: an operator has to change the environment or the tables. */
export function isConfigurationFault(fault: DatabaseFault): boolean {
  return CONFIGURATION_FAULTS.has(fault);
}

/** True when a conditional write was refused because its condition did not hold. */
export function isConditionalCheckFailed(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as ErrorShape).name === 'ConditionalCheckFailedException'
  );
}

function ownFault(shape: ErrorShape): DatabaseFault | undefined {
  if (typeof shape.name === 'string' && Object.hasOwn(FAULTS_BY_NAME, shape.name)) {
    return FAULTS_BY_NAME[shape.name];
  }
  if (typeof shape.code === 'string') {
    const code = shape.code;
    if (Object.hasOwn(FAULTS_BY_CODE, code)) {
      return FAULTS_BY_CODE[code];
    }
    if (ENDPOINT_CODE_PREFIXES.some((prefix) => code.startsWith(prefix))) {
      return 'endpoint';
    }
  }
  if ((shape.$metadata?.httpStatusCode ?? 0) >= 500) {
    return 'server';
  }
  // The SDK attaches $metadata to what its calls throw; a body it cannot parse is not DynamoDB's.
  if (shape.name === 'SyntaxError' && shape.$metadata !== undefined) {
    return 'endpoint';
  }

  return undefined;
}
