import { RefreshingCache } from './refreshing.cache';

/** Lets pending reads settle. */
const settled = () => new Promise(setImmediate);

describe(RefreshingCache.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('should share one read among concurrent loads of a key', async () => {
    const cache = new RefreshingCache<string, number>(5000);
    let reads = 0;
    const read = () => Promise.resolve(++reads);

    const values = await Promise.all([cache.load('a', read), cache.load('a', read)]);

    expect(values).toEqual([1, 1]);
    expect(cache.entry('a')?.value).toBe(1);
  });

  it('should become due at three quarters of the TTL and be replaced by a background read', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const cache = new RefreshingCache<string, number>(4000);
    await cache.load('a', () => Promise.resolve(1));
    const entry = cache.entry('a', now + 2999);
    expect(entry !== undefined && cache.isDue(entry, now + 2999)).toBe(false);

    clock.mockReturnValue(now + 3000);
    const due = cache.entry('a', now + 3000);
    expect(due !== undefined && cache.isDue(due, now + 3000)).toBe(true);
    cache.refresh(
      'a',
      due!,
      () => Promise.resolve(2),
      () => 'keep',
    );
    expect(cache.isDue(due!, now + 3000)).toBe(false);
    await settled();

    expect(cache.entry('a', now + 5000)?.value).toBe(2);
  });

  it('should drop or keep an entry whose refresh failed, as the caller decides', async () => {
    const cache = new RefreshingCache<string, number>(5000);
    await cache.load('kept', () => Promise.resolve(1));
    await cache.load('dropped', () => Promise.resolve(1));
    const failure = (): Promise<number> => Promise.reject(new Error('down'));

    cache.refresh('kept', cache.entry('kept')!, failure, () => 'keep');
    cache.refresh('dropped', cache.entry('dropped')!, failure, () => 'drop');
    await settled();

    expect(cache.entry('kept')?.value).toBe(1);
    expect(cache.entry('dropped')).toBeUndefined();
  });

  it('should not cache a read that an eviction overtook', async () => {
    const cache = new RefreshingCache<string, number>(5000);
    const pending = cache.load('a', () => Promise.resolve(1));
    cache.deleteWhere((value) => value === 1);

    await expect(pending).resolves.toBe(1);
    expect(cache.entry('a')).toBeUndefined();
  });

  it('should not hand a read that began before an eviction to a later caller', async () => {
    const cache = new RefreshingCache<string, string>(5000);
    let answer = 'active';
    const read = () => Promise.resolve(answer);
    const before = cache.load('a', read);
    cache.delete('a');
    answer = 'revoked';

    const after = cache.load('a', read);

    await expect(before).resolves.toBe('active');
    await expect(after).resolves.toBe('revoked');
    expect(cache.entry('a')?.value).toBe('revoked');
  });

  it('should retry a refresh whose answer an eviction of another key kept out', async () => {
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    const cache = new RefreshingCache<string, number>(4000);
    await cache.load('a', () => Promise.resolve(1));
    clock.mockReturnValue(now + 3000);
    const due = cache.entry('a')!;

    cache.refresh(
      'a',
      due,
      () => Promise.resolve(2),
      () => 'keep',
    );
    cache.deleteWhere((value) => value === 99);
    await settled();

    expect(cache.entry('a')?.value).toBe(1);
    expect(cache.isDue(due, now + 4000)).toBe(true);
  });
});
