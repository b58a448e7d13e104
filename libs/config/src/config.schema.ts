import { isIP } from 'node:net';
import { availableParallelism } from 'node:os';

export const STAGES = ['dev', 'staging', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Which proxies may name the client: none, the nearest `n` hops, or these addresses and ranges. */
export type TrustProxy = false | number | string[];

/** More hops than any real chain of proxies; a larger count would trust the client's own entries. */
const MAX_PROXY_HOPS = 10;

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

/** Collects every problem so that a bad environment is reported in one message, not one by one. */
export class ConfigReader {
  readonly problems: string[] = [];

  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name]?.trim();

    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string, pattern?: RegExp): string {
    const value = this.raw(name) ?? fallback;
    if (pattern && !pattern.test(value)) {
      this.problems.push(`${name} must match ${String(pattern)}, got "${value}"`);
    }

    return value;
  }

  optionalString(name: string, minLength = 1): string | undefined {
    const value = this.raw(name);
    if (value !== undefined && value.length < minLength) {
      this.problems.push(`${name} must be at least ${minLength} characters long`);
    }

    return value;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }

    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
      this.problems.push(`${name} must be an integer from ${min} to ${max}, got "${value}"`);

      return fallback;
    }

    return parsed;
  }

  /** An IP address or a host name; anything else would fail only at listen, after the database. */
  host(name: string, fallback: string): string {
    const value = this.raw(name) ?? fallback;
    if (
      isIP(value) === 0 &&
      !/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)*[a-z0-9]([a-z0-9-]*[a-z0-9])?$/i.test(value)
    ) {
      this.problems.push(`${name} must be an IP address or a host name, got "${value}"`);
    }

    return value;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) {
      return fallback;
    }
    if (value === 'true' || value === '1') {
      return true;
    }
    if (value === 'false' || value === '0') {
      return false;
    }

    this.problems.push(`${name} must be true or false, got "${value}"`);

    return fallback;
  }

  /**
   * `true` is refused: trusting every hop makes the client's own leftmost X-Forwarded-For entry
   * its address, which would let anyone step inside a key's CIDR ranges.
   */
  trustProxy(name: string): TrustProxy {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined || value === 'false') {
      return false;
    }
    if (value === 'true') {
      this.problems.push(
        `${name}=true would trust every hop, so clients could choose their own address through ` +
          'X-Forwarded-For; give the number of proxies in front of the service (such as 1) or ' +
          'their addresses or CIDR ranges, comma separated',
      );

      return false;
    }

    if (/^\d+$/.test(value)) {
      const hops = Number(value);
      if (hops > MAX_PROXY_HOPS) {
        this.problems.push(
          `${name} must be a number of proxy hops from 1 to ${MAX_PROXY_HOPS}, got "${value}"`,
        );

        return false;
      }

      return hops === 0 ? false : hops;
    }

    const proxies = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (proxies.length === 0) {
      this.problems.push(`${name} lists no proxy address, got "${value}"`);

      return false;
    }

    const invalid = proxies.filter((entry) => !isProxyAddress(entry));
    for (const entry of invalid) {
      this.problems.push(
        `${name} must be false, a number of proxy hops or IP addresses and CIDR ranges such as ` +
          `10.0.0.0/8 (a /0 range would trust everyone), got "${entry}"`,
      );
    }

    return invalid.length === 0 ? proxies : false;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }
    if (!(allowed as readonly string[]).includes(value)) {
      this.problems.push(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);

      return fallback;
    }

    return value as T;
  }

  url(name: string): string | undefined {
    const value = this.raw(name);
    if (value === undefined) {
      return undefined;
    }

    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') {
        throw new Error('protocol');
      }
    } catch {
      this.problems.push(`${name} must be an http(s) URL, got "${value}"`);
    }

    return value;
  }

  origins(name: string): string[] {
    const value = this.raw(name);
    if (value === undefined) {
      return [];
    }

    const origins = value
      .split(',')
      .map((origin) => origin.trim())
      .filter((origin) => origin !== '');
    for (const origin of origins) {
      if (!isExactOrigin(origin)) {
        this.problems.push(
          `${name} entries must be exact origins like https://app.example.com, got "${origin}"`,
        );
      }
    }

    return origins;
  }

  bytes(name: string, fallback: number, max: number): number {
    const value = this.raw(name);
    if (value === undefined) {
      return fallback;
    }

    const match = /^(\d+)\s*(b|kb|mb)?$/i.exec(value);
    const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 * 1024 };
    const parsed = match ? Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()] : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < 1 || parsed > max) {
      this.problems.push(
        `${name} must be a size such as 1mb or 65536 up to ${max} bytes, got "${value}"`,
      );

      return fallback;
    }

    return parsed;
  }
}

function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);

    return (
      (url.protocol === 'https:' || url.protocol === 'http:') &&
      url.origin === origin &&
      /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/i.test(url.hostname)
    );
  } catch {
    return false;
  }
}

/** An IP address or a CIDR range of one; a zero-length prefix, which would trust all, is not. */
function isProxyAddress(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  // Zone ids (fe80::1%eth0) name an interface, not an address the proxy check can compare.
  const family = address.includes('%') ? 0 : isIP(address);
  if (family === 0 || extra !== undefined) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }

  const length = /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;

  return length >= 1 && length <= (family === 4 ? 32 : 128);
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** Reads and validates the whole environment at once; throws with every problem listed. */
export function loadConfig(env: Env): AppConfigValues {
  const read = new ConfigReader(env);
  const stage = read.oneOf('STAGE', STAGES, 'dev');
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
    read.raw('AWS_LAMBDA_FUNCTION_NAME') === undefined ? undefined : 'running on AWS Lambda',
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
