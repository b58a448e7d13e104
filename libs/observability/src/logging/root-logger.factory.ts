import pino, { DestinationStream, Logger } from 'pino';
import { AppConfigValues } from '@app/config';
import { AccessLogWriter } from './access-log.writer';
import { BatchedLogStream } from './batched-log.stream';

/**
 * Field names that carry credentials, compared without case, dashes or underscores, so
 * `x-api-key`, `apiKey` and `API_KEY` are one name. Pino's path redaction only reaches the
 * paths it is given (`*.key` misses a top-level `key` and one nested two levels down, and no
 * path reaches the headers an error object carries), so every logged object is walked instead.
 */
export const REDACTED_FIELDS = new Set(
  [
    'key',
    'otp',
    'api-key',
    'x-api-key',
    'admin-key',
    'x-admin-key',
    'x-admin-step-up',
    'authorization',
    'proxy-authorization',
  ].map(normaliseFieldName),
);

/**
 * Parts of a name that mark a credential wherever they stand (`clientSecret`, `sessionToken`,
 * `newPassword`, `set-cookie`): a censored harmless field costs less than a leak. Key names are
 * matched whole above instead, so that ids (`keyId`, `adminKeyId`) stay readable.
 */
export const REDACTED_NAME_PARTS = [
  'secret',
  'token',
  'password',
  'passphrase',
  'passwd',
  'credential',
  'privatekey',
  'accesskey',
  'signature',
  'pepper',
  'otpauth',
  'cookie',
].map(normaliseFieldName);

/** Verdicts by field name: the same few names recur in every line. */
const verdicts = new Map<string, boolean>();
const MAX_VERDICTS = 10000;

const CENSOR = '[REDACTED]';

/** Lines are written together once this many characters wait, or after LOG_FLUSH_MS. */
const LOG_BATCH_CHARS = 4096;
const STDOUT = 1;

/** Deeper structures are cut off: a log line is not the place for them, and walking is bounded. */
const MAX_DEPTH = 10;

export interface RootLoggerOptions {
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
  version?: string;
}

/**
 * The process's loggers, writing to one stream. `logger` redacts every line. `accessLog`
 * writes only the access line, whose fields the request hooks pick one by one (never headers or
 * bodies): it skips redaction, which costs several times the rest of the line on the hot path.
 */
export interface ServiceLoggers {
  logger: Logger;
  accessLog: AccessLogWriter;
}

export function createServiceLoggers(
  config: Pick<AppConfigValues, 'logLevel' | 'stage' | 'logFlushMs'>,
  options: RootLoggerOptions = {},
): ServiceLoggers {
  const pretty =
    options.destination === undefined &&
    process.stdout.isTTY &&
    config.stage !== 'prod' &&
    isInstalled('pino-pretty');
  const base = { service: 'dcisionai-api', stage: config.stage, version: options.version };
  const level = (label: string) => ({ level: label });
  const settings: pino.LoggerOptions = {
    level: config.logLevel,
    base,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level, log: redactSecrets },
    // Errors are serialised (and censored) by redactSecrets, which runs before serializers; the
    // default serializer would serialise the result again and lose the error's type.
    serializers: { err: (value: unknown) => value },
  };

  if (pretty) {
    const logger = pino({
      ...settings,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });

    return { logger, accessLog: AccessLogWriter.through(logger, base) };
  }

  const destination = options.destination ?? standardOutput(config.logFlushMs);
  const logger = pino(settings, destination);

  return {
    logger,
    accessLog: AccessLogWriter.json(destination, base, logger.isLevelEnabled('info')),
  };
}

/**
 * Standard output, written asynchronously by pino's SonicBoom; with `flushMs` above 0 lines are
 * handed to it in batches (see BatchedLogStream).
 */
function standardOutput(flushMs: number): DestinationStream {
  if (flushMs === 0) {
    return pino.destination({ dest: STDOUT, sync: false });
  }

  return new BatchedLogStream(
    () => {
      const stdout = pino.destination({ dest: STDOUT, sync: false });

      return {
        write: (data: string) => stdout.write(data),
        flushSync: () => stdout.flushSync(),
        fd: STDOUT,
      };
    },
    LOG_BATCH_CHARS,
    flushMs,
  );
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);

    return true;
  } catch {
    return false;
  }
}

/** A copy of a log object with every secret-named field censored, at any depth. */
export function redactSecrets(object: Record<string, unknown>): Record<string, unknown> {
  return censor(object, 0, new WeakSet()) as Record<string, unknown>;
}

function censor(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value !== 'object' || value === null) {
    return value;
  }
  if (seen.has(value)) {
    return '[Circular]';
  }
  if (depth >= MAX_DEPTH) {
    return '[Truncated]';
  }

  // Only the objects on the current path are tracked, so an object logged twice is not circular.
  seen.add(value);
  try {
    return censorObject(value, depth, seen);
  } finally {
    seen.delete(value);
  }
}

function censorObject(value: object, depth: number, seen: WeakSet<object>): unknown {
  if (value instanceof Error) {
    // pino's serialiser copies the error's own fields (headers, requests...) and its cause.
    const serialised: Record<string, unknown> = { ...pino.stdSerializers.err(value) };
    if (value.cause !== undefined && !(value.cause instanceof Error)) {
      serialised.cause = value.cause;
    }

    return censorFields(serialised, depth, seen);
  }
  if (Array.isArray(value)) {
    return value.map((item: unknown) => censor(item, depth + 1, seen));
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    // Dates, buffers and the like serialise themselves and name no fields.
    return value;
  }

  return censorFields(value as Record<string, unknown>, depth, seen);
}

function censorFields(
  value: Record<string, unknown>,
  depth: number,
  seen: WeakSet<object>,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    copy[name] = isSecretName(name) ? CENSOR : censor(field, depth + 1, seen);
  }

  return copy;
}

export function isSecretName(name: string): boolean {
  let verdict = verdicts.get(name);
  if (verdict === undefined) {
    const normalised = normaliseFieldName(name);
    verdict =
      REDACTED_FIELDS.has(normalised) ||
      REDACTED_NAME_PARTS.some((part) => normalised.includes(part));
    if (verdicts.size < MAX_VERDICTS) {
      verdicts.set(name, verdict);
    }
  }

  return verdict;
}

function normaliseFieldName(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}
