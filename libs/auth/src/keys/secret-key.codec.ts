import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

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

  /**
   * True when the key has the prefix, the length, the alphabet and a matching checksum.
   * Every request pays for this, so it walks the characters once and compares the checksum as
   * a number (decoding 6 digits) instead of encoding the CRC32 through BigInt: a fixed-width
   * base62 encoding is one-to-one, so both comparisons accept exactly the same keys.
   */
  static isWellFormed(key: string, prefix: string): boolean {
    const checksumStart = key.length - CHECKSUM_LENGTH;
    if (key.length !== prefix.length + BODY_LENGTH + CHECKSUM_LENGTH || !key.startsWith(prefix)) {
      return false;
    }

    for (let index = prefix.length; index < checksumStart; index++) {
      if (base62Digit(key.charCodeAt(index)) < 0) {
        return false;
      }
    }

    let checksum = 0;
    for (let index = checksumStart; index < key.length; index++) {
      const digit = base62Digit(key.charCodeAt(index));
      if (digit < 0) {
        return false;
      }
      // 62^6 < 2^53, so this stays an exact integer.
      checksum = checksum * 62 + digit;
    }

    return checksum === crc32(key.slice(0, checksumStart));
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

/** The value of a base62 digit's character code, or -1 for any other character. */
function base62Digit(code: number): number {
  if (code >= 48 && code <= 57) {
    return code - 48;
  }
  if (code >= 65 && code <= 90) {
    return code - 55;
  }
  if (code >= 97 && code <= 122) {
    return code - 61;
  }

  return -1;
}
