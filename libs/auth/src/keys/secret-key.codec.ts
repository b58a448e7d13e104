import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE62_PATTERN = /^[0-9A-Za-z]+$/;

/** 32 random bytes need 43 base62 digits (62^43 > 2^256), so the body carries 256 full bits. */
const BODY_LENGTH = 43;
/** A CRC32 needs 6 base62 digits (62^6 > 2^32). */
const CHECKSUM_LENGTH = 6;
const RANDOM_BYTES = 32;

/**
 * The textual shape of every secret we issue: `<prefix><43 base62 chars><6 base62 chars CRC32>`.
 * The checksum covers the prefix and the body, so a mistyped or truncated key is refused from
 * its shape alone, before any hashing or database read, and secret scanners can recognise ours
 * without false positives.
 */
export class SecretKeyCodec {
  static readonly bodyLength = BODY_LENGTH;
  static readonly checksumLength = CHECKSUM_LENGTH;

  static generate(prefix: string): string {
    const body = SecretKeyCodec.encodeBase62(
      BigInt(`0x${randomBytes(RANDOM_BYTES).toString('hex')}`),
      BODY_LENGTH,
    );

    return `${prefix}${body}${SecretKeyCodec.checksum(`${prefix}${body}`)}`;
  }

  /** True when the key has the prefix, the length, the alphabet and a matching checksum. */
  static isWellFormed(key: string, prefix: string): boolean {
    if (key.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !key.startsWith(prefix)) {
      return false;
    }

    const rest = key.slice(prefix.length);
    if (!BASE62_PATTERN.test(rest)) {
      return false;
    }

    const signed = key.slice(0, key.length - CHECKSUM_LENGTH);

    return key.slice(-CHECKSUM_LENGTH) === SecretKeyCodec.checksum(signed);
  }

  /** A recognisable but harmless label: the prefix and the last four characters. */
  static displayPrefix(key: string, prefix: string): string {
    return `${prefix}...${key.slice(-4)}`;
  }

  static encodeBase62(value: bigint, width: number): string {
    let remaining = value;
    let digits = '';
    while (remaining > 0n) {
      digits = BASE62[Number(remaining % 62n)] + digits;
      remaining /= 62n;
    }
    if (digits.length > width) {
      throw new RangeError(`value needs more than ${width} base62 digits`);
    }

    return digits.padStart(width, '0');
  }

  private static checksum(signed: string): string {
    return SecretKeyCodec.encodeBase62(BigInt(crc32(signed)), CHECKSUM_LENGTH);
  }
}
