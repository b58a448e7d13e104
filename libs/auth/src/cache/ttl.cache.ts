interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * A small in-memory cache whose entries live at most `ttlMs`, bounded in size so that a flood
 * of distinct keys cannot exhaust memory (the oldest entries go first). A TTL of 0 disables it.
 */
export class TtlCache<K, V> {
  private readonly entries = new Map<K, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The live value, if any; `now` lets a caller that already read the clock pass it in. */
  get(key: K, now = this.now()): V | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.expiresAt <= now) {
      this.entries.delete(key);

      return undefined;
    }

    return entry.value;
  }

  set(key: K, value: V): void {
    if (this.ttlMs <= 0) {
      return;
    }
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) {
        this.entries.delete(oldest.value);
      }
    }
    this.entries.set(key, { value, expiresAt: this.now() + this.ttlMs });
  }

  delete(key: K): void {
    this.entries.delete(key);
  }

  /** Removes every entry whose value matches, for evictions by a secondary attribute. */
  deleteWhere(predicate: (value: V) => boolean): void {
    for (const [key, entry] of this.entries) {
      if (predicate(entry.value)) {
        this.entries.delete(key);
      }
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
