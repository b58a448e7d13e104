import { isIP } from 'node:net';
import type { Env, TrustProxy } from './config.schema';

/** More hops than any real chain of proxies; a larger count would trust the client's own entries. */
const MAX_PROXY_HOPS = 10;

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
