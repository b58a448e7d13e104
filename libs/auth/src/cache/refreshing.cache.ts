import { TtlCache } from './ttl.cache';

/** Share of the TTL after which an entry still in use is read again in the background. */
const REFRESH_AFTER = 0.75;
/** Wait before a failed background read is tried again; the entry still expires on time. */
const REFRESH_RETRY_MS = 1000;

/** A cached value and when a use of it should start reading it again. */
export interface RefreshingEntry<V> {
  readonly value: V;
  refreshAt: number;
}

/**
 * A TtlCache for answers read from the database, which a busy caller must never wait for when
 * they age out: an entry in use is read again in the background once three quarters of the TTL
 * have passed, concurrent misses of one key share a single read, and a read that an eviction
 * overtook is not cached. No entry is ever used past its TTL.
 */
export class RefreshingCache<K, V> {
  private readonly entries: TtlCache<K, RefreshingEntry<V>>;
  private readonly loading = new Map<K, Promise<V>>();
  /** Bumped by every eviction, so a read that began before it never caches its answer. */
  private generation = 0;

  constructor(
    private readonly ttlMs: number,
    maxEntries?: number,
  ) {
    this.entries = new TtlCache(ttlMs, maxEntries);
  }

  /** The live entry, without a read; check `isDue` to keep it fresh. */
  entry(key: K, now = Date.now()): RefreshingEntry<V> | undefined {
    return this.entries.get(key, now);
  }

  isDue(entry: RefreshingEntry<V>, now: number): boolean {
    return now >= entry.refreshAt;
  }

  /**
   * Starts reading a due entry again; until that read settles the entry is not due again. A
   * failed read is handed to `failed`, which answers whether to drop the entry at once (the
   * answer is final, such as a revoked key) or to keep it until it expires.
   */
  refresh(
    key: K,
    entry: RefreshingEntry<V>,
    read: () => Promise<V>,
    failed: (error: unknown) => 'drop' | 'keep',
  ): void {
    const startedAt = Date.now();
    entry.refreshAt = Number.POSITIVE_INFINITY;
    this.load(key, read).then(
      () => {
        // An eviction meanwhile kept the answer out of the cache: try again later.
        if (this.entries.get(key) === entry) {
          entry.refreshAt = startedAt + REFRESH_RETRY_MS;
        }
      },
      (error: unknown) => {
        if (failed(error) === 'drop') {
          this.delete(key);

          return;
        }

        entry.refreshAt = startedAt + REFRESH_RETRY_MS;
      },
    );
  }

  /** One read per key at a time; every caller that missed meanwhile shares it. */
  load(key: K, read: () => Promise<V>): Promise<V> {
    let pending = this.loading.get(key);
    if (pending === undefined) {
      const generation = this.generation;
      pending = read()
        .then((value) => {
          if (generation === this.generation) {
            this.entries.set(key, { value, refreshAt: Date.now() + this.ttlMs * REFRESH_AFTER });
          }

          return value;
        })
        .finally(() => {
          if (this.loading.get(key) === pending) {
            this.loading.delete(key);
          }
        });
      this.loading.set(key, pending);
    }

    return pending;
  }

  /**
   * Forgets a key at once. A read already under way is no longer shared either: it may have
   * begun before the change that caused the eviction, and no later caller may be given it.
   */
  delete(key: K): void {
    this.generation++;
    this.loading.delete(key);
    this.entries.delete(key);
  }

  /** Removes every entry whose value matches, for evictions by a secondary attribute. */
  deleteWhere(predicate: (value: V) => boolean): void {
    this.generation++;
    // Which key a pending read belongs to is unknown until it answers: share none of them.
    this.loading.clear();
    this.entries.deleteWhere((entry) => predicate(entry.value));
  }
}
