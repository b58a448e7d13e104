/** What the guard needs to know about a tenant to admit one of its credentials. */
export interface TenantAccess {
  status: 'active' | 'suspended';
  defaultRateLimitPerMinute?: number;
  /**
   * Most tool invocations that use the solver the tenant may run at once on one instance;
   * absent means the platform default. Read from this cache so admission costs no I/O.
   */
  maxConcurrentJobs?: number;
}

/**
 * The tenants module answers these questions for the auth module, which cannot import it
 * (tenants depends on auth for its decorators). Provided globally under TENANT_DIRECTORY.
 */
export interface TenantDirectory {
  /** Access facts of a live tenant, or undefined when it does not exist or was deleted. */
  findAccess(tenantId: string): Promise<TenantAccess | undefined>;
  /**
   * What `findAccess` would answer from memory alone, without I/O or a promise: the access
   * facts, `null` for a tenant known not to exist (or deleted), `undefined` when nothing is
   * cached (the caller then awaits `findAccess`). Lets a cached key be admitted synchronously.
   * Must honour the same cache bound and evictions as `findAccess`.
   */
  peekAccess(tenantId: string): TenantAccess | null | undefined;
  /** Takes one of the tenant's key slots; not_found for no tenant, conflict when full. */
  reserveKeySlot(tenantId: string): Promise<void>;
  /** Gives a slot back; a failure only leaves the count high, which errs on the safe side. */
  releaseKeySlot(tenantId: string): Promise<void>;
}

export const TENANT_DIRECTORY = Symbol('TENANT_DIRECTORY');
