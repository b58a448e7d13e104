import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AppException } from '@app/common';
import { AdminCredentialVerifier } from '../admin-keys/admin-credential.verifier';
import { ApiKeyAuthGuard } from '../api-keys/api-key-auth.guard';
import { VerifiedApiKey } from '../api-keys/api-key.verifier';
import { Scope } from '../principal/scope';
import { ACCESS_RULE_KEY, AccessRule } from './access-rule';
import { CredentialRejection } from './credential-rejection';

const ADMIN_PATH_PREFIX = '/v1/admin/';

/**
 * The one global guard. It reads the route's access rule and refuses routes without one (deny
 * by default), admits tenant keys through passport and admin keys with their step-up token, and
 * sets `request.principal`, the only source of identity for handlers and services.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyAuthGuard) private readonly apiKeys: ApiKeyAuthGuard,
    @Inject(AdminCredentialVerifier) private readonly admins: AdminCredentialVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE_KEY, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (rule === undefined) {
      this.logger.error(
        { requestId: request.id, route: request.routeOptions.url },
        'Route declares no access rule; refused',
      );
      throw new AppException('forbidden', 'This route is not available.');
    }
    if (rule.kind === 'public') {
      return true;
    }

    try {
      if (rule.kind === 'tenant') {
        await this.admitTenant(context, request, rule.scopes);
      } else {
        await this.admitAdmin(request, rule.stepUp);
      }
    } catch (error) {
      throw this.translate(error, request);
    }

    return true;
  }

  private async admitTenant(
    context: ExecutionContext,
    request: FastifyRequest,
    required: readonly Scope[],
  ): Promise<void> {
    if (singleHeader(request, 'x-api-key') === undefined && request.headers['x-admin-key']) {
      // Admin keys are valid only under /v1/admin; the client sees the same 401 as for no key.
      throw new CredentialRejection('wrong_kind');
    }

    await this.apiKeys.canActivate(context);
    const { principal, cidrs } = (request as unknown as { user: VerifiedApiKey }).user;
    const fields = { requestId: request.id, keyId: principal.keyId, tenantId: principal.tenantId };
    if (cidrs !== undefined && !cidrs.allows(request.ip)) {
      this.logger.warn({ ...fields, ip: request.ip }, 'API key used outside its allowed ranges');
      throw new AppException('ip_not_allowed', 'This key may not be used from this address.');
    }

    const missing = required.filter((scope) => !principal.scopes.includes(scope));
    // A key with no scopes can call nothing, even a route that checks scopes itself (MCP).
    if (missing.length > 0 || principal.scopes.length === 0) {
      this.logger.warn({ ...fields, missing }, 'API key lacks a scope');
      throw new AppException(
        'insufficient_scope',
        missing.length > 0
          ? `This key lacks the scope(s): ${missing.join(', ')}.`
          : 'This key holds no scope, so it can call nothing.',
        { extensions: { requiredScopes: required } },
      );
    }

    request.principal = principal;
  }

  private async admitAdmin(request: FastifyRequest, stepUp: boolean): Promise<void> {
    const presented = singleHeader(request, 'x-admin-key');
    if (presented === undefined) {
      if (request.headers['x-api-key'] !== undefined) {
        this.logger.warn(
          { requestId: request.id },
          'Tenant credential presented on an admin route',
        );
        throw new AppException('admin_only', 'This route needs an admin key (X-Admin-Key).');
      }

      throw new CredentialRejection('missing');
    }
    if (!request.url.startsWith(ADMIN_PATH_PREFIX)) {
      // Admin keys are valid only under /v1/admin; a misplaced AdminRoute must not widen them.
      throw new CredentialRejection('wrong_kind');
    }

    const admin = await this.admins.verifyKey(presented);
    const fields = { requestId: request.id, adminKeyId: admin.adminKeyId };
    if (admin.cidrs !== undefined && !admin.cidrs.allows(request.ip)) {
      this.logger.warn({ ...fields, ip: request.ip }, 'Admin key used outside its allowed ranges');
      throw new AppException('ip_not_allowed', 'This key may not be used from this address.');
    }

    const steppedUp =
      stepUp &&
      (await this.admins.verifyStepUp(singleHeader(request, 'x-admin-step-up'), admin.adminKeyId));
    if (stepUp && !steppedUp) {
      this.logger.warn(fields, 'Admin mutation without a valid step-up token');
      throw new AppException(
        'step_up_required',
        'This operation needs a valid step-up token in X-Admin-Step-Up (POST /v1/admin/step-up).',
      );
    }

    request.principal = {
      kind: 'admin',
      method: 'admin_key',
      adminKeyId: admin.adminKeyId,
      steppedUp,
    };
  }

  private translate(error: unknown, request: FastifyRequest): unknown {
    if (error instanceof CredentialRejection) {
      // One body for every reason; the reason is for operators only.
      this.logger.warn(
        {
          requestId: request.id,
          route: request.routeOptions.url,
          reason: error.reason,
          ...error.fields,
        },
        'Credential refused',
      );

      return new AppException('unauthenticated', 'A valid credential is required.');
    }

    // Anything else, a database outage included, goes to the problem filter as it is: it answers
    // 503 with Retry-After for an outage, never a 401 that would make clients drop a good key.
    return error;
  }
}

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];

  return typeof value === 'string' && value !== '' ? value : undefined;
}
