import { KeyHasher } from './key-hasher.service';

describe(KeyHasher.name, () => {
  const hasher = new KeyHasher(Buffer.from('p'.repeat(32)));

  it('should hash deterministically under the pepper and differently under another', () => {
    const other = new KeyHasher(Buffer.from('q'.repeat(32)));

    expect(hasher.hash('secret')).toBe(hasher.hash('secret'));
    expect(hasher.hash('secret')).not.toBe(other.hash('secret'));
    expect(hasher.hash('secret')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('should derive a stable id that does not contain the hash', () => {
    const hash = hasher.hash('secret');
    const id = hasher.deriveId('key_', hash);

    expect(id).toBe(hasher.deriveId('key_', hash));
    expect(id).toMatch(/^key_[0-9A-Za-z]{22}$/);
    expect(hash).not.toContain(id.slice(4));
  });

  it('should compare hashes of any length safely', () => {
    const hash = hasher.hash('secret');

    expect(hasher.matches(hash, hash)).toBe(true);
    expect(hasher.matches(hash, hasher.hash('other'))).toBe(false);
    expect(hasher.matches(hash, 'abcd')).toBe(false);
  });
});
