import { AppException } from '@app/common';
import { TenantConcurrency } from './tenant-concurrency.limiter';

describe(TenantConcurrency.name, () => {
  it("should refuse a tenant past its own limit with 429, without touching another tenant's", () => {
    const concurrency = new TenantConcurrency(6);
    concurrency.acquire('ten_a', 2);
    concurrency.acquire('ten_a', 2);

    expect(() => concurrency.acquire('ten_a', 2)).toThrow(AppException);
    concurrency.acquire('ten_b', 2);
    expect(concurrency.held('ten_b')).toBe(1);
  });

  it('should keep one place of the pool for other tenants whatever the setting', () => {
    const concurrency = new TenantConcurrency(6);

    expect(concurrency.limitFor(50)).toBe(5);
    expect(concurrency.limitFor(4)).toBe(4);
    expect(new TenantConcurrency(2).limitFor(4)).toBe(1);
  });

  it('should give places back and forget idle tenants', () => {
    const concurrency = new TenantConcurrency(6);
    concurrency.acquire('ten_a', 1);
    let refusal: AppException | undefined;
    try {
      concurrency.acquire('ten_a', 1);
    } catch (error) {
      refusal = error as AppException;
    }

    expect(refusal?.code).toBe('concurrency_limit');
    expect(refusal?.headers).toEqual({ 'Retry-After': '2' });
    concurrency.release('ten_a');
    expect(concurrency.held('ten_a')).toBe(0);
    concurrency.acquire('ten_a', 1);
    expect(concurrency.held('ten_a')).toBe(1);
  });
});
