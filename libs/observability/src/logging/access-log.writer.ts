import { DestinationStream, Logger } from 'pino';

/** What one access line says about one answered request. */
export interface AccessLogEntry {
  requestId: string;
  method: string;
  path: string;
  route: string | undefined;
  status: number;
  durationMs: number;
  tenantId: string | undefined;
  keyId: string | undefined;
}

/** The fields every line of the process carries, as the other loggers write them. */
export interface AccessLogBase {
  service: string;
  stage: string;
  version: string | undefined;
}

const MESSAGE = 'request completed';

/** Strings that are their own JSON body: no quote, backslash, control or non-ASCII character. */
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

/** A JSON string literal; most values (ids, methods, routes) need no escaping at all. */
function quoted(value: string): string {
  return PLAIN.test(value) ? `"${value}"` : JSON.stringify(value);
}

/**
 * Writes the one access line per request. In JSON mode the line is formatted here, field by
 * field, in the same shape pino gives every other line: pino's generic serialisation costs
 * several times the rest of the access path, and these fields are fixed, picked by the request
 * hooks (never headers or bodies), so there is nothing to redact. Pretty output (a TTY outside
 * prod) goes through pino, where speed does not matter.
 */
export class AccessLogWriter {
  private readonly prefix: string;
  /** The last timestamp written, reused within its millisecond: formatting one is costly. */
  private timeMs = 0;
  private time = '';

  private constructor(
    private readonly destination: DestinationStream | undefined,
    private readonly pretty: Logger | undefined,
    base: AccessLogBase,
    readonly enabled: boolean,
  ) {
    const fields = { ...base, context: 'AccessLog' };
    // JSON.stringify drops an undefined version, as pino does.
    this.prefix = `,${JSON.stringify(fields).slice(1, -1)}`;
  }

  /** JSON lines straight to the stream the other loggers share. */
  static json(
    destination: DestinationStream,
    base: AccessLogBase,
    enabled: boolean,
  ): AccessLogWriter {
    return new AccessLogWriter(destination, undefined, base, enabled);
  }

  /** Lines through a (pretty) pino logger. */
  static through(logger: Logger, base: AccessLogBase): AccessLogWriter {
    return new AccessLogWriter(undefined, logger.child({ context: 'AccessLog' }), base, true);
  }

  write(entry: AccessLogEntry): void {
    if (this.pretty !== undefined) {
      this.pretty.info(entry, MESSAGE);

      return;
    }

    const now = Date.now();
    if (now !== this.timeMs) {
      this.timeMs = now;
      this.time = new Date(now).toISOString();
    }

    let line = `{"level":"info","time":"${this.time}"${this.prefix}`;
    line += `,"requestId":${quoted(entry.requestId)},"method":${quoted(entry.method)}`;
    line += `,"path":${quoted(entry.path)}`;
    if (entry.route !== undefined) {
      line += `,"route":${quoted(entry.route)}`;
    }
    line += `,"status":${entry.status},"durationMs":${entry.durationMs}`;
    if (entry.tenantId !== undefined) {
      line += `,"tenantId":${quoted(entry.tenantId)}`;
    }
    if (entry.keyId !== undefined) {
      line += `,"keyId":${quoted(entry.keyId)}`;
    }
    this.destination?.write(`${line},"msg":"${MESSAGE}"}\n`);
  }
}
