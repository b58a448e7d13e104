import { Principal, TenantPrincipal } from '@app/auth';
import { AppException } from '@app/common';

/** Tools run for tenants only; an admin credential reaching a tool route is refused, not guessed. */
export function tenantCaller(principal: Principal): TenantPrincipal {
  if (principal.kind !== 'tenant') {
    throw new AppException('forbidden', 'Tools are invoked with a tenant API key.');
  }

  return principal;
}
