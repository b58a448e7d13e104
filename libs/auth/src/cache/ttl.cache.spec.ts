import { TtlCache } from './ttl.cache';

describe(TtlCache.name, () => {
  it('should forget entries after the TTL', () => {
    let now = 1000;
    const cache = new TtlCache<string, number>(5000, 10, () => now);
    cache.set('a', 1);

    expect(cache.get('a')).toBe(1);
    now += 5000;
    expect(cache.get('a')).toBeUndefined();
  });

  it('should evict the oldest entry when full and delete by predicate', () => {
    const cache = new TtlCache<string, number>(5000, 2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.set('c', 3);

    expect(cache.get('a')).toBeUndefined();
    cache.deleteWhere((value) => value === 2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('c')).toBe(3);
  });

  it('should cache nothing with a TTL of zero', () => {
    const cache = new TtlCache<string, number>(0);
    cache.set('a', 1);

    expect(cache.get('a')).toBeUndefined();
  });
});
