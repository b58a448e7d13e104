import { AppException } from '@app/common';
import { SolveAbortedError } from '../solver/solve-aborted.error';

/** Seconds a refused caller is told to wait: about the time a small solve takes to free a slot. */
export const CONCURRENCY_RETRY_AFTER_SECONDS = '2';

/** One admitted invocation's place; `release` it exactly once, in `finally`. */
export interface ConcurrencySlot {
  /**
   * Resolves once the invocation may hand work to the solver pool, which can mean waiting for
   * one of its own tenant's earlier invocations to finish; rejects with SolveAbortedError if
   * `signal` aborts first.
   */
  ready(signal: AbortSignal): Promise<void>;
  release(): void;
}

interface TenantLoad {
  /** Admitted invocations: in the pool or waiting for their turn. */
  inFlight: number;
  /** Invocations allowed to have a task in the pool, running or in piscina's queue. */
  inPool: number;
  /** Invocations waiting for a place in the pool, oldest first. */
  waiting: (() => void)[];
}

/**
 * Counts each tenant's invocations in flight on this instance, so that one tenant cannot take
 * the solver pool from the others. Two bounds apply:
 *
 * - Admission: a tenant may have min(its maxConcurrentJobs, poolCapacity - 1) invocations in
 *   flight; past it, 429 concurrency_limit. One tenant alone therefore never fills the pool
 *   (503); only several tenants together can.
 * - Threads: of those, at most poolThreads - 1 may have a task in the pool at once, running or
 *   queued there; the others wait in their tenant's own FIFO queue here. piscina serves its queue
 *   in order, so without this bound two long solves of one tenant on a two-thread pool held both
 *   threads and every other tenant's solve queued behind them until they timed out. With the
 *   bound, one thread is always free of any given tenant, and another tenant's solve starts as
 *   soon as no *other* tenant holds it.
 *
 * With a single thread (TOOLS_MAX_THREADS=1) the bound cannot leave a thread free: a tenant may
 * then hold the only thread, and other tenants queue behind its solve as before.
 *
 * The counts are per instance (as the pool is) and kept in memory.
 */
export class TenantConcurrency {
  private readonly tenants = new Map<string, TenantLoad>();
  /** Places in the pool one tenant may hold at once. */
  readonly poolShare: number;

  constructor(
    private readonly poolCapacity: number,
    poolThreads: number,
  ) {
    this.poolShare = Math.max(1, poolThreads - 1);
  }

  /** The effective admission limit of a tenant whose own setting is `maxConcurrentJobs`. */
  limitFor(maxConcurrentJobs: number): number {
    return Math.max(1, Math.min(maxConcurrentJobs, this.poolCapacity - 1));
  }

  /** Admits an invocation of the tenant or throws 429 concurrency_limit. */
  acquire(tenantId: string, maxConcurrentJobs: number): ConcurrencySlot {
    const limit = this.limitFor(maxConcurrentJobs);
    const load = this.tenants.get(tenantId) ?? { inFlight: 0, inPool: 0, waiting: [] };
    if (load.inFlight >= limit) {
      throw new AppException(
        'concurrency_limit',
        `The tenant already runs ${load.inFlight} invocations at once, its limit; retry when one finishes.`,
        {
          headers: { 'Retry-After': CONCURRENCY_RETRY_AFTER_SECONDS },
          extensions: { limit },
        },
      );
    }

    load.inFlight++;
    this.tenants.set(tenantId, load);

    return this.slot(tenantId, load);
  }

  held(tenantId: string): number {
    return this.tenants.get(tenantId)?.inFlight ?? 0;
  }

  /** How many of the tenant's invocations may currently hand work to the pool. */
  inPool(tenantId: string): number {
    return this.tenants.get(tenantId)?.inPool ?? 0;
  }

  private slot(tenantId: string, load: TenantLoad): ConcurrencySlot {
    let holdsPool = false;
    let released = false;
    let wake: (() => void) | undefined;
    const unqueue = () => {
      const index = wake === undefined ? -1 : load.waiting.indexOf(wake);
      if (index >= 0) {
        load.waiting.splice(index, 1);
      }
    };

    return {
      ready: (signal) => {
        if (holdsPool) {
          return Promise.resolve();
        }
        if (signal.aborted) {
          return Promise.reject(new SolveAbortedError(signal.reason));
        }
        if (load.inPool < this.poolShare) {
          load.inPool++;
          holdsPool = true;

          return Promise.resolve();
        }

        return new Promise<void>((resolve, reject) => {
          const onAbort = () => {
            unqueue();
            reject(new SolveAbortedError(signal.reason));
          };
          // The releasing invocation has already counted this one into the pool.
          wake = () => {
            signal.removeEventListener('abort', onAbort);
            holdsPool = true;
            resolve();
          };
          load.waiting.push(wake);
          signal.addEventListener('abort', onAbort, { once: true });
        });
      },
      release: () => {
        if (released) {
          return;
        }

        released = true;
        unqueue();
        load.inFlight--;
        if (holdsPool) {
          load.inPool--;
          const next = load.waiting.shift();
          if (next !== undefined) {
            load.inPool++;
            next();
          }
        }
        // Deleting at zero keeps the map as small as the set of tenants currently busy.
        if (load.inFlight === 0) {
          this.tenants.delete(tenantId);
        }
      },
    };
  }
}
