import { availableParallelism } from 'node:os';
import { ConfigReader } from './config.reader';
import { ConfigValidationError } from './config-validation.error';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Which proxies may name the client: none, the nearest `n` hops, or these addresses and ranges. */
export type TrustProxy = false | number | string[];

/** The validated, typed configuration of one process. */
export interface AppConfigValues {
  port: number;
  host: string;
  stage: Stage;
  trustProxy: TrustProxy;
  dynamodbEndpoint?: string;
  dynamodbRegion: string;
  dynamodbCreateTables: boolean;
  dynamodbConnectTimeoutMs: number;
  dynamodbRequestTimeoutMs: number;
  dynamodbMaxAttempts: number;
  tablePrefix: string;
  dataDir: string;
  logLevel: LogLevel;
  /** How long a log line may wait to be written with others; 0 writes each line at once. */
  logFlushMs: number;
  corsOrigins: string[];
  bodyLimit: number;
  docsEnabled: boolean;
  shutdownTimeoutMs: number;
  apiKeyPepper?: string;
  authCacheTtlMs: number;
  adminBootstrap: boolean;
  stepUpTtlSeconds: number;
  toolsMinThreads: number;
  toolsMaxThreads: number;
  toolsDefaultTimeoutMs: number;
  toolsMaxTimeoutMs: number;
  toolsMaxVariables: number;
  toolsMaxConstraints: number;
  toolsMaxLpLength: number;
}

export type Env = Record<string, string | undefined>;

/** Reads and validates the whole environment at once; throws with every problem listed. */
export function loadConfig(env: Env): AppConfigValues {
  const read = new ConfigReader(env);
  const stage = read.oneOf('STAGE', STAGES, 'dev');
  const onLambda = read.raw('AWS_LAMBDA_FUNCTION_NAME') !== undefined;
  const cpus = availableParallelism();

  const values: AppConfigValues = {
    // 0 would listen on a random port nobody knows, while the logs claim port 0.
    port: read.int('PORT', 3000, 1, 65535),
    host: read.host('HOST', '0.0.0.0'),
    stage,
    trustProxy: read.trustProxy('TRUST_PROXY'),
    dynamodbEndpoint: read.url('DYNAMODB_ENDPOINT'),
    // DynamoDB Local takes any region; `local` is what its users usually write.
    dynamodbRegion: read.string('DYNAMODB_REGION', 'us-east-1', /^([a-z]{2}(-[a-z]+)+-\d|local)$/),
    dynamodbCreateTables: read.bool('DYNAMODB_CREATE_TABLES', false),
    dynamodbConnectTimeoutMs: read.int('DYNAMODB_CONNECT_TIMEOUT_MS', 1000, 50, 30000),
    dynamodbRequestTimeoutMs: read.int('DYNAMODB_REQUEST_TIMEOUT_MS', 2000, 50, 60000),
    dynamodbMaxAttempts: read.int('DYNAMODB_MAX_ATTEMPTS', 2, 1, 10),
    tablePrefix: read.string('TABLE_PREFIX', `dcisionai-${stage}-`, /^[A-Za-z0-9_.-]{0,200}$/),
    dataDir: read.string('DATA_DIR', '.data'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    // Lambda freezes the process between invocations, which would hold buffered lines back.
    logFlushMs: read.int('LOG_FLUSH_MS', onLambda ? 0 : 100, 0, 10000),
    corsOrigins: read.origins('CORS_ORIGINS'),
    bodyLimit: read.bytes('BODY_LIMIT', 1024 * 1024, 64 * 1024 * 1024),
    docsEnabled: read.bool('DOCS_ENABLED', stage !== 'prod'),
    // Below a second no request could drain, and every stop would count as unclean.
    shutdownTimeoutMs: read.int('SHUTDOWN_TIMEOUT_MS', 10000, 1000, 120000),
    apiKeyPepper: read.optionalString('API_KEY_PEPPER', 32),
    authCacheTtlMs: read.int('AUTH_CACHE_TTL_MS', 5000, 0, 60000),
    adminBootstrap: read.bool('ADMIN_BOOTSTRAP', false),
    stepUpTtlSeconds: read.int('STEP_UP_TTL_SECONDS', 900, 60, 3600),
    toolsMinThreads: read.int('TOOLS_MIN_THREADS', 1, 1, 64),
    toolsMaxThreads: read.int('TOOLS_MAX_THREADS', Math.max(2, cpus), 1, 64),
    toolsDefaultTimeoutMs: read.int('TOOLS_DEFAULT_TIMEOUT_MS', 30000, 100, 900000),
    toolsMaxTimeoutMs: read.int('TOOLS_MAX_TIMEOUT_MS', 120000, 100, 900000),
    toolsMaxVariables: read.int('TOOLS_MAX_VARIABLES', 20000, 1, 1000000),
    toolsMaxConstraints: read.int('TOOLS_MAX_CONSTRAINTS', 20000, 1, 1000000),
    toolsMaxLpLength: read.int('TOOLS_MAX_LP_LENGTH', 768 * 1024, 1, 64 * 1024 * 1024),
  };

  // A generated pepper lives in one DATA_DIR: instances sharing a database would each refuse the
  // others' keys, and Lambda's read-only file system cannot hold one at all.
  const pepperRequiredBy = [
    stage === 'prod' ? 'STAGE=prod' : undefined,
    values.dynamodbEndpoint === undefined ? undefined : 'DYNAMODB_ENDPOINT is set',
    onLambda ? 'running on AWS Lambda' : undefined,
  ].filter((reason) => reason !== undefined);
  if (pepperRequiredBy.length > 0 && values.apiKeyPepper === undefined) {
    read.problems.push(
      `API_KEY_PEPPER is required when ${pepperRequiredBy.join(', ')} (at least 32 characters): ` +
        'every instance on a database must hash keys under the same pepper',
    );
  }
  if (values.toolsMinThreads > values.toolsMaxThreads) {
    read.problems.push('TOOLS_MIN_THREADS must not exceed TOOLS_MAX_THREADS');
  }
  if (values.toolsDefaultTimeoutMs > values.toolsMaxTimeoutMs) {
    read.problems.push('TOOLS_DEFAULT_TIMEOUT_MS must not exceed TOOLS_MAX_TIMEOUT_MS');
  }
  // LP text travels inside a JSON body: a limit the body limit cuts off first would answer a
  // generic 413 where the caller should learn which model limit it passed.
  if (values.toolsMaxLpLength >= values.bodyLimit) {
    read.problems.push(
      `TOOLS_MAX_LP_LENGTH (${values.toolsMaxLpLength}) must be below BODY_LIMIT ` +
        `(${values.bodyLimit} bytes)`,
    );
  }

  if (read.problems.length > 0) {
    throw new ConfigValidationError(read.problems);
  }

  return values;
}
