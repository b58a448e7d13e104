import * as fc from 'fast-check';
import { crc32 } from 'node:zlib';
import { SecretKeyCodec } from './secret-key.codec';

const PREFIX = 'dcs_test_';
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-+/=.';

describe(SecretKeyCodec.name, () => {
  it('should generate thousands of unique keys that match the format and pass the checksum', () => {
    const keys = Array.from({ length: 5000 }, () => SecretKeyCodec.generate(PREFIX));

    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) {
      expect(key).toMatch(/^dcs_test_[0-9A-Za-z]{49}$/);
      expect(SecretKeyCodec.isWellFormed(key, PREFIX)).toBe(true);
    }
  });

  it('should refuse every single-character change of a generated key', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.nat(),
        fc.constantFrom(...ALPHABET.split('')),
        (_seed, position, replacement) => {
          const key = SecretKeyCodec.generate(PREFIX);
          const index = position % key.length;
          fc.pre(key[index] !== replacement);
          const changed = `${key.slice(0, index)}${replacement}${key.slice(index + 1)}`;

          return !SecretKeyCodec.isWellFormed(changed, PREFIX);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('should refuse every substitution at every position of one key', () => {
    const key = SecretKeyCodec.generate(PREFIX);

    for (let index = 0; index < key.length; index++) {
      for (const replacement of ALPHABET) {
        if (replacement !== key[index]) {
          const changed = `${key.slice(0, index)}${replacement}${key.slice(index + 1)}`;
          expect(SecretKeyCodec.isWellFormed(changed, PREFIX)).toBe(false);
        }
      }
    }
  });

  it('should refuse truncated, extended and foreign-prefix keys', () => {
    const key = SecretKeyCodec.generate(PREFIX);

    expect(SecretKeyCodec.isWellFormed(key.slice(0, -1), PREFIX)).toBe(false);
    expect(SecretKeyCodec.isWellFormed(`${key}a`, PREFIX)).toBe(false);
    expect(SecretKeyCodec.isWellFormed(key, 'dcs_live_')).toBe(false);
    expect(SecretKeyCodec.isWellFormed('', PREFIX)).toBe(false);
  });

  it('should accept a checksum exactly when its digits are the base62 encoding of the CRC32', () => {
    const base62 = fc.constantFrom(...ALPHABET.slice(0, 62).split(''));
    fc.assert(
      fc.property(
        fc.string({ unit: base62, minLength: 43, maxLength: 43 }),
        fc.string({ unit: base62, minLength: 6, maxLength: 6 }),
        fc.boolean(),
        (body, randomChecksum, useTrueChecksum) => {
          const expected = SecretKeyCodec.encodeBase62(BigInt(crc32(`${PREFIX}${body}`)), 6);
          const checksum = useTrueChecksum ? expected : randomChecksum;

          return (
            SecretKeyCodec.isWellFormed(`${PREFIX}${body}${checksum}`, PREFIX) ===
            (checksum === expected)
          );
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('should refuse characters just outside the base62 ranges and non-ASCII look-alikes', () => {
    const key = SecretKeyCodec.generate(PREFIX);

    for (const outsider of ['/', ':', '@', '[', '`', '{', '\u0660', '\uff10', '\u00e9']) {
      for (const index of [PREFIX.length, key.length - 7, key.length - 1]) {
        const changed = `${key.slice(0, index)}${outsider}${key.slice(index + 1)}`;
        expect(SecretKeyCodec.isWellFormed(changed, PREFIX)).toBe(false);
      }
    }
  });

  it('should show only the prefix and the last four characters', () => {
    const key = SecretKeyCodec.generate(PREFIX);

    expect(SecretKeyCodec.displayPrefix(key, PREFIX)).toBe(`dcs_test_...${key.slice(-4)}`);
  });

  it('should encode base62 with a fixed width', () => {
    expect(SecretKeyCodec.encodeBase62(61n, 3)).toBe('00z');
    expect(() => SecretKeyCodec.encodeBase62(62n ** 3n, 3)).toThrow(RangeError);
  });
});
