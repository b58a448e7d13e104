import { AppException } from '@app/common';

/** Seconds a refused caller is told to wait: about the time a small solve takes to free a slot. */
export const CONCURRENCY_RETRY_AFTER_SECONDS = '2';

/**
 * Counts each tenant's invocations in flight on this instance, so that one tenant cannot take
 * every place in the solver pool and starve the others.
 *
 * A tenant may hold at most min(its maxConcurrentJobs, poolCapacity - 1) places: whatever one
 * tenant does, at least one place stays open for another tenant, who is then refused only when
 * several tenants together fill the pool (503), never by a single one. The count is per instance
 * (as the pool is), kept in memory and given back in `finally` by the caller.
 */
export class TenantConcurrency {
  private readonly inFlight = new Map<string, number>();

  constructor(private readonly poolCapacity: number) {}

  /** The effective limit of a tenant whose own setting is `maxConcurrentJobs`. */
  limitFor(maxConcurrentJobs: number): number {
    return Math.max(1, Math.min(maxConcurrentJobs, this.poolCapacity - 1));
  }

  /** Takes a place for the tenant or throws 429 concurrency_limit; call `release` once after. */
  acquire(tenantId: string, maxConcurrentJobs: number): void {
    const limit = this.limitFor(maxConcurrentJobs);
    const held = this.inFlight.get(tenantId) ?? 0;
    if (held >= limit) {
      throw new AppException(
        'concurrency_limit',
        `The tenant already runs ${held} invocations at once, its limit; retry when one finishes.`,
        {
          headers: { 'Retry-After': CONCURRENCY_RETRY_AFTER_SECONDS },
          extensions: { limit },
        },
      );
    }

    this.inFlight.set(tenantId, held + 1);
  }

  release(tenantId: string): void {
    const held = this.inFlight.get(tenantId) ?? 0;
    // Deleting at zero keeps the map as small as the set of tenants currently busy.
    if (held <= 1) {
      this.inFlight.delete(tenantId);

      return;
    }

    this.inFlight.set(tenantId, held - 1);
  }

  held(tenantId: string): number {
    return this.inFlight.get(tenantId) ?? 0;
  }
}
