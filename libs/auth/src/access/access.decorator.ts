import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension, ApiHeader, ApiSecurity } from '@nestjs/swagger';
import { Scope } from '../principal/scope.types';
import { ACCESS_RULE_KEY } from './access-rule.types';

/**
 * Where @ApiOperation keeps its options (API_OPERATION_METADATA in @nestjs/swagger, whose
 * package exports do not expose its constants module).
 */
const API_OPERATION_METADATA = 'swagger/apiOperation';

/** The route needs no credential. */
export function Public(): MethodDecorator & ClassDecorator {
  return SetMetadata(ACCESS_RULE_KEY, { kind: 'public' });
}

/**
 * The route needs a tenant credential (X-API-Key) holding every scope listed. OpenAPI 3.0 allows
 * scopes in a security requirement only for OAuth2 and OpenID Connect (the array MUST be empty
 * for an apiKey scheme), so the scopes are stated in `x-required-scopes` and in the description.
 * Place it above the route's @ApiOperation, so the sentence joins that description.
 */
export function TenantRoute(...scopes: Scope[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    SetMetadata(ACCESS_RULE_KEY, { kind: 'tenant', scopes }),
    ApiSecurity('apiKey'),
    ApiExtension('x-required-scopes', scopes),
    describeScopes(scopes),
  );
}

/** Appends the scope requirement to the operation's description, keeping its summary. */
function describeScopes(scopes: readonly Scope[]): MethodDecorator & ClassDecorator {
  const sentence =
    scopes.length === 0
      ? 'Requires an API key holding at least one scope.'
      : `Requires an API key holding the scope${scopes.length > 1 ? 's' : ''} ${scopes
          .map((scope) => `\`${scope}\``)
          .join(', ')}.`;

  return (target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    if (descriptor === undefined) {
      // On a class the extension alone states the requirement; descriptions are per operation.
      return;
    }

    const handler = descriptor.value as object;
    const operation = (Reflect.getMetadata(API_OPERATION_METADATA, handler) ?? {}) as {
      description?: string;
    };
    const description = operation.description
      ? `${operation.description}\n\n${sentence}`
      : sentence;
    Reflect.defineMetadata(API_OPERATION_METADATA, { ...operation, description }, handler);
  };
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
