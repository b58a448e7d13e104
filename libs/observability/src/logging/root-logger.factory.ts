import pino, { DestinationStream, Logger } from 'pino';
import { AppConfigValues } from '@app/config';

/**
 * Header and body paths that may carry credentials. Pino removes them from every line, so a
 * secret can never reach the log stream even when a caller logs a whole request or error.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-admin-key"]',
  'req.headers["x-admin-step-up"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers["x-api-key"]',
  'headers["x-admin-key"]',
  'headers["x-admin-step-up"]',
  'headers.cookie',
  '*.password',
  '*.secret',
  '*.token',
  '*.key',
  '*.apiKey',
  '*.otp',
  '*.totpSecret',
  '*.otpauthUrl',
  '*.pepper',
  '*.refreshToken',
  '*.accessToken',
];

export interface RootLoggerOptions {
  /** Where lines go; stdout by default. Tests pass a capturing stream. */
  destination?: DestinationStream;
  version?: string;
}

/**
 * The process's loggers, writing to one stream. `logger` redacts every line. `accessLogger`
 * writes only the access line, whose fields the request hooks pick one by one (never headers or
 * bodies): it skips redaction, which costs several times the rest of the line on the hot path.
 */
export interface ServiceLoggers {
  logger: Logger;
  accessLogger: Logger;
}

export function createServiceLoggers(
  config: Pick<AppConfigValues, 'logLevel' | 'stage'>,
  options: RootLoggerOptions = {},
): ServiceLoggers {
  const pretty =
    options.destination === undefined &&
    process.stdout.isTTY &&
    config.stage !== 'prod' &&
    isInstalled('pino-pretty');
  const base = { service: 'dcisionai-api', stage: config.stage, version: options.version };
  const settings: pino.LoggerOptions = {
    level: config.logLevel,
    base,
    redact: { paths: REDACTED_PATHS, censor: '[REDACTED]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    serializers: { err: pino.stdSerializers.err },
  };

  if (pretty) {
    const logger = pino({
      ...settings,
      transport: {
        target: 'pino-pretty',
        options: { singleLine: true, translateTime: 'SYS:HH:MM:ss.l' },
      },
    });

    return { logger, accessLogger: logger.child({ context: 'AccessLog' }) };
  }

  const destination = options.destination ?? pino.destination({ sync: false });

  return {
    logger: pino(settings, destination),
    accessLogger: pino(
      { ...settings, redact: undefined, base: { ...base, context: 'AccessLog' } },
      destination,
    ),
  };
}

function isInstalled(name: string): boolean {
  try {
    require.resolve(name);

    return true;
  } catch {
    return false;
  }
}
