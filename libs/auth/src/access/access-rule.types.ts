import { Scope } from '../principal/scope.types';

/**
 * What a route accepts. Routes without a rule are refused by the guard (deny by default).
 * - public: no credential.
 * - tenant: an API key (or, later, a tenant token) holding every listed scope.
 * - admin: an admin key; `stepUp` additionally needs a step-up token in X-Admin-Step-Up.
 */
export type AccessRule =
  | { kind: 'public' }
  | { kind: 'tenant'; scopes: readonly Scope[] }
  | { kind: 'admin'; stepUp: boolean };

export const ACCESS_RULE_KEY = 'dcisionai:access-rule';
