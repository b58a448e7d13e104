import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiSecurity } from '@nestjs/swagger';
import { Scope } from '../principal/scope';
import { ACCESS_RULE_KEY } from './access-rule';

/** The route needs no credential. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(ACCESS_RULE_KEY, { kind: 'public' });
}

/** The route needs a tenant credential (X-API-Key) holding every scope listed. */
export function TenantRoute(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_RULE_KEY, { kind: 'tenant', scopes }),
    ApiSecurity('apiKey', scopes),
  );
}

/**
 * The route needs an admin key (X-Admin-Key). With `stepUp`, it also needs a step-up token
 * (X-Admin-Step-Up) obtained with a one-time code: every mutating admin route sets it.
 */
export function AdminRoute(options: { stepUp: boolean }): MethodDecorator & ClassDecorator {
  const decorators = [
    SetMetadata(ACCESS_RULE_KEY, { kind: 'admin', stepUp: options.stepUp }),
    ApiSecurity('adminKey'),
  ];
  if (options.stepUp) {
    decorators.push(ApiHeader({ name: 'X-Admin-Step-Up', required: true }));
  }

  return applyDecorators(...decorators);
}
