import { AppException } from '@app/common';
import { SolveAbortedError } from '../solver/solve-aborted.error';
import { TenantConcurrency } from './tenant-concurrency.limiter';

/** Lets pending promise callbacks run, so a test sees who got a place and who still waits. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe(TenantConcurrency.name, () => {
  const never = new AbortController().signal;

  it("should refuse a tenant past its own limit with 429, without touching another tenant's", () => {
    const concurrency = new TenantConcurrency(6, 2);
    concurrency.acquire('ten_a', 2);
    concurrency.acquire('ten_a', 2);

    expect(() => concurrency.acquire('ten_a', 2)).toThrow(AppException);
    concurrency.acquire('ten_b', 2);
    expect(concurrency.held('ten_b')).toBe(1);
  });

  it('should keep one place of the pool for other tenants whatever the setting', () => {
    const concurrency = new TenantConcurrency(6, 2);

    expect(concurrency.limitFor(50)).toBe(5);
    expect(concurrency.limitFor(4)).toBe(4);
    expect(new TenantConcurrency(2, 1).limitFor(4)).toBe(1);
  });

  it('should give places back and forget idle tenants', () => {
    const concurrency = new TenantConcurrency(6, 2);
    const slot = concurrency.acquire('ten_a', 1);
    let refusal: AppException | undefined;
    try {
      concurrency.acquire('ten_a', 1);
    } catch (error) {
      refusal = error as AppException;
    }

    expect(refusal?.code).toBe('concurrency_limit');
    expect(refusal?.headers).toEqual({ 'Retry-After': '2' });
    slot.release();
    slot.release();
    expect(concurrency.held('ten_a')).toBe(0);
    concurrency.acquire('ten_a', 1);
    expect(concurrency.held('ten_a')).toBe(1);
  });

  it('should let one tenant hold all threads but one, its other invocations waiting in order', async () => {
    const concurrency = new TenantConcurrency(12, 3);
    const slots = Array.from({ length: 4 }, () => concurrency.acquire('ten_a', 4));
    const ready: number[] = [];
    slots.forEach((slot, index) => void slot.ready(never).then(() => ready.push(index)));
    await settle();

    expect(concurrency.poolShare).toBe(2);
    expect(ready).toEqual([0, 1]);
    expect(concurrency.inPool('ten_a')).toBe(2);
    await concurrency.acquire('ten_b', 4).ready(never);
    expect(concurrency.inPool('ten_b')).toBe(1);

    slots[1].release();
    await settle();
    expect(ready).toEqual([0, 1, 2]);
    slots[0].release();
    await settle();
    expect(ready).toEqual([0, 1, 2, 3]);
    expect(concurrency.inPool('ten_a')).toBe(2);
    expect(concurrency.held('ten_a')).toBe(2);
  });

  it('should never let one tenant take both threads of a two-thread pool', async () => {
    const concurrency = new TenantConcurrency(6, 2);
    const first = concurrency.acquire('ten_a', 4);
    const second = concurrency.acquire('ten_a', 4);
    await first.ready(never);
    let secondReady = false;
    void second.ready(never).then(() => {
      secondReady = true;
    });
    await settle();

    expect(secondReady).toBe(false);
    expect(concurrency.inPool('ten_a')).toBe(1);
    first.release();
    await settle();
    expect(secondReady).toBe(true);
  });

  it('should let a single-thread pool run one invocation of a tenant, as before', async () => {
    const concurrency = new TenantConcurrency(2, 1);
    const slot = concurrency.acquire('ten_a', 4);
    await slot.ready(never);

    expect(concurrency.poolShare).toBe(1);
    expect(() => concurrency.acquire('ten_a', 4)).toThrow(AppException);
  });

  it('should drop a waiting invocation whose signal aborts, and pass its turn on', async () => {
    const concurrency = new TenantConcurrency(6, 2);
    const running = concurrency.acquire('ten_a', 4);
    const abandoned = concurrency.acquire('ten_a', 4);
    const next = concurrency.acquire('ten_a', 4);
    await running.ready(never);
    const controller = new AbortController();
    const waiting = abandoned.ready(controller.signal);
    let nextReady = false;
    void next.ready(never).then(() => {
      nextReady = true;
    });

    controller.abort('deadline');
    await expect(waiting).rejects.toBeInstanceOf(SolveAbortedError);
    abandoned.release();
    running.release();
    await settle();
    expect(nextReady).toBe(true);
    expect(concurrency.inPool('ten_a')).toBe(1);
    expect(concurrency.held('ten_a')).toBe(1);
    next.release();
    expect(concurrency.held('ten_a')).toBe(0);
    await expect(concurrency.acquire('ten_a', 4).ready(controller.signal)).rejects.toBeInstanceOf(
      SolveAbortedError,
    );
  });
});
