import type { Base32Plugin, CryptoPlugin, HashAlgorithm } from '@otplib/core';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * otplib's default plugins depend on ESM-only packages (@noble/hashes, @scure/base) that Jest
 * cannot load, so otplib's TOTP core runs here on node:crypto and a plain RFC 4648 base32.
 */
export const NODE_CRYPTO_PLUGIN: CryptoPlugin = {
  name: 'node',
  hmac: (algorithm: HashAlgorithm, key: Uint8Array, data: Uint8Array): Uint8Array =>
    new Uint8Array(createHmac(algorithm, key).update(data).digest()),
  randomBytes: (length: number): Uint8Array => new Uint8Array(randomBytes(length)),
  constantTimeEqual: (a: string | Uint8Array, b: string | Uint8Array): boolean => {
    const left = typeof a === 'string' ? Buffer.from(a) : Buffer.from(a);
    const right = typeof b === 'string' ? Buffer.from(b) : Buffer.from(b);

    return left.length === right.length && timingSafeEqual(left, right);
  },
};

export const BASE32_PLUGIN: Base32Plugin = {
  name: 'rfc4648',
  encode: (data: Uint8Array): string => {
    let bits = 0;
    let value = 0;
    let output = '';
    for (const byte of data) {
      value = (value << 8) | byte;
      bits += 8;
      while (bits >= 5) {
        output += ALPHABET[(value >>> (bits - 5)) & 31];
        bits -= 5;
      }
    }
    if (bits > 0) {
      output += ALPHABET[(value << (5 - bits)) & 31];
    }

    return output;
  },
  decode: (text: string): Uint8Array => {
    const clean = text.toUpperCase().replace(/=+$/, '');
    let bits = 0;
    let value = 0;
    const bytes: number[] = [];
    for (const char of clean) {
      const index = ALPHABET.indexOf(char);
      if (index === -1) {
        throw new Error('Invalid base32 character');
      }
      value = (value << 5) | index;
      bits += 5;
      if (bits >= 8) {
        bytes.push((value >>> (bits - 8)) & 255);
        bits -= 8;
      }
    }

    return new Uint8Array(bytes);
  },
};
