/** Scopes a tenant credential may hold. A credential with no scopes can call nothing. */
export const SCOPES = [
  'tools:read',
  'tools:invoke',
  'jobs:read',
  'keys:read',
  'keys:write',
  'audit:read',
  'usage:read',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}
