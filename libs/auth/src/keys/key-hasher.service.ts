import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { SecretKeyCodec } from './secret-key.codec';

/**
 * Turns secrets into what we store: an HMAC-SHA-256 under the server pepper. Without the pepper
 * a database copy cannot be used to test guesses, and ids derived from it reveal nothing.
 */
export class KeyHasher {
  constructor(private readonly pepper: Buffer) {}

  /** The stored form of a secret, hex encoded. */
  hash(secret: string): string {
    return createHmac('sha256', this.pepper).update(secret, 'utf8').digest('hex');
  }

  /**
   * The record id of a secret, derived from its hash so that the hot path can read the record
   * by primary key (a strongly consistent read) instead of an eventually consistent index.
   */
  deriveId(prefix: string, secretHash: string): string {
    const digest = createHash('sha256').update(`id:${secretHash}`).digest('hex');

    return `${prefix}${SecretKeyCodec.encodeBase62(BigInt(`0x${digest.slice(0, 32)}`), 22)}`;
  }

  /** Compares two hex hashes in constant time. */
  matches(expectedHex: string, actualHex: string): boolean {
    const expected = Buffer.from(expectedHex, 'hex');
    const actual = Buffer.from(actualHex, 'hex');

    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}
