import { Scope } from './scope.types';

/**
 * Who is calling, as established by a guard. It is the only source of the tenant id for
 * services: never a path, query or body. It carries the same fields whichever credential
 * produced it, so short-lived tokens can slot in beside API keys.
 */
export interface TenantPrincipal {
  kind: 'tenant';
  method: 'api_key' | 'jwt';
  tenantId: string;
  keyId: string;
  scopes: readonly Scope[];
  /** Requests per minute allowed for this credential, when it overrides the tenant default. */
  rateLimitPerMinute?: number;
}

export interface AdminPrincipal {
  kind: 'admin';
  method: 'admin_key';
  adminKeyId: string;
  /** True when the request carried a valid step-up token bound to this admin key. */
  steppedUp: boolean;
}

export type Principal = TenantPrincipal | AdminPrincipal;
