import { CanActivate, ExecutionContext, Inject, Injectable, Logger, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { AppException } from '@app/common';
import { AdminCredentialVerifier } from '../admin-keys/admin-credential.verifier';
import { ApiKeyAuthGuard } from '../api-keys/api-key-auth.guard';
import { VerifiedApiKey } from '../api-keys/api-key.verifier';
import { KEY_PREFIXES } from '../keys/key-prefixes.constants';
import { TenantPrincipal } from '../principal/principal.types';
import { Scope } from '../principal/scope.types';
import { ACCESS_RULE_KEY, AccessRule } from './access-rule.types';
import { CredentialRejection } from './credential-rejection.error';

const ADMIN_PATH_PREFIX = '/v1/admin/';

/** A route's rule as read once for its handler and controller class. */
interface CachedRule {
  controller: unknown;
  rule: AccessRule | undefined;
}

/**
 * The one global guard. It reads the route's access rule and refuses routes without one (deny
 * by default), admits tenant keys through passport and admin keys with their step-up token, and
 * sets `request.principal`, the only source of identity for handlers and services.
 *
 * A tenant key that is cached is admitted synchronously: `canActivate` then returns `true`
 * rather than a promise, which Nest's guard consumer takes without awaiting.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  /** Rules by handler: metadata is fixed at start, so it is read once per route, not per call. */
  private readonly rules = new WeakMap<object, CachedRule>();

  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ApiKeyAuthGuard) private readonly apiKeys: ApiKeyAuthGuard,
    @Inject(AdminCredentialVerifier) private readonly admins: AdminCredentialVerifier,
  ) {}

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    // getArgByIndex, not switchToHttp(): the latter assigns three new closures on every call.
    const request = context.getArgByIndex<FastifyRequest>(0);
    const rule = this.ruleFor(context.getHandler(), context.getClass());
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

    if (rule.kind === 'admin') {
      return this.admitAdmin(request, rule.stepUp);
    }

    try {
      const verified = this.verifyTenant(request);
      if (verified instanceof Promise) {
        return this.authorizeTenantLater(request, verified, rule.scopes);
      }

      this.authorizeTenant(request, verified, rule.scopes);
    } catch (error) {
      throw this.translate(error, request);
    }

    return true;
  }

  /**
   * The tenant check of canActivate answered from memory alone, for routes answered before
   * Nest's pipeline (see HotRoutes). True only for a request canActivate would admit without any
   * I/O: a cached key of an active tenant, used from an allowed address, holding every scope.
   * Anything else answers false having refused, logged and recorded nothing; the request then
   * goes through canActivate, which gives the answer it always gives.
   */
  admitFromMemory(request: FastifyRequest, required: readonly Scope[]): boolean {
    if (singleHeader(request, 'x-api-key') === undefined) {
      return false;
    }

    let verified: VerifiedApiKey | Promise<VerifiedApiKey>;
    try {
      verified = this.apiKeys.authenticate(request);
    } catch {
      return false;
    }
    if (verified instanceof Promise) {
      // canActivate verifies again, shares this read and reports how it ends.
      verified.catch(() => undefined);

      return false;
    }
    if (!addressAllowed(verified, request) || !scopesHeld(verified.principal, required)) {
      return false;
    }

    this.admitTenant(request, verified);

    return true;
  }

  /** The rule a route declares on its handler, or else on its controller; read once per route. */
  ruleFor(handler: object, controller: object): AccessRule | undefined {
    const cached = this.rules.get(handler);
    if (cached?.controller === controller) {
      return cached.rule;
    }

    const rule = this.reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_RULE_KEY, [
      handler as Type,
      controller as Type,
    ]);
    // One entry per handler; a method shared by two controllers is simply read again.
    this.rules.set(handler, { controller, rule });

    return rule;
  }

  /** The verified key, synchronously when it is cached. */
  private verifyTenant(request: FastifyRequest): VerifiedApiKey | Promise<VerifiedApiKey> {
    if (singleHeader(request, 'x-api-key') === undefined && request.headers['x-admin-key']) {
      // Admin keys are valid only under /v1/admin; the client sees the same 401 as for no key.
      throw new CredentialRejection('wrong_kind');
    }

    return this.apiKeys.authenticate(request);
  }

  /** The slow path (a cache miss): one promise, no closures. */
  private async authorizeTenantLater(
    request: FastifyRequest,
    pending: Promise<VerifiedApiKey>,
    required: readonly Scope[],
  ): Promise<boolean> {
    try {
      this.authorizeTenant(request, await pending, required);
    } catch (error) {
      throw this.translate(error, request);
    }

    return true;
  }

  /**
   * The route's own checks on a verified key, client address then scopes, each refusal logged.
   */
  private authorizeTenant(
    request: FastifyRequest,
    verified: VerifiedApiKey,
    required: readonly Scope[],
  ): void {
    const principal = verified.principal;
    if (!addressAllowed(verified, request)) {
      this.logger.warn(
        { ...logFields(request, principal), ip: request.ip },
        'API key used outside its allowed ranges',
      );
      throw new AppException('ip_not_allowed', 'This key may not be used from this address.');
    }

    if (!scopesHeld(principal, required)) {
      const missing = required.filter((scope) => !principal.scopes.includes(scope));
      this.logger.warn({ ...logFields(request, principal), missing }, 'API key lacks a scope');
      throw new AppException(
        'insufficient_scope',
        missing.length > 0
          ? `This key lacks the scope(s): ${missing.join(', ')}.`
          : 'This key holds no scope, so it can call nothing.',
        { extensions: { requiredScopes: required } },
      );
    }

    this.admitTenant(request, verified);
  }

  /** Only a request that passed every check counts as a use of its key (lastUsedAt). */
  private admitTenant(request: FastifyRequest, { principal, usage }: VerifiedApiKey): void {
    request.principal = principal;
    this.apiKeys.recordUse(usage);
  }

  private async admitAdmin(request: FastifyRequest, stepUp: boolean): Promise<boolean> {
    try {
      await this.verifyAdmin(request, stepUp);
    } catch (error) {
      throw this.translate(error, request);
    }

    return true;
  }

  private async verifyAdmin(request: FastifyRequest, stepUp: boolean): Promise<void> {
    const presented = singleHeader(request, 'x-admin-key');
    if (presented === undefined) {
      if (request.headers['x-api-key'] !== undefined) {
        throw this.tenantCredentialRefused(request, 'x-api-key');
      }

      throw new CredentialRejection('missing');
    }
    if (isTenantKeyShaped(presented)) {
      // A tenant key in the admin header: the same answer as in its own header, not a 401 that
      // would read as a mistyped admin key.
      throw this.tenantCredentialRefused(request, 'x-admin-key');
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

  private tenantCredentialRefused(request: FastifyRequest, header: string): AppException {
    this.logger.warn(
      { requestId: request.id, header },
      'Tenant credential presented on an admin route',
    );

    return new AppException('admin_only', 'This route needs an admin key (X-Admin-Key).');
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

function logFields(
  request: FastifyRequest,
  principal: TenantPrincipal,
): { requestId: string; keyId: string; tenantId: string } {
  return { requestId: request.id, keyId: principal.keyId, tenantId: principal.tenantId };
}

function addressAllowed({ cidrs }: VerifiedApiKey, request: FastifyRequest): boolean {
  return cidrs === undefined || cidrs.allows(request.ip);
}

/**
 * Whether every required scope is held; a loop, as this runs on every tenant request. A key with
 * no scopes can call nothing, even a route that checks scopes itself (MCP).
 */
function scopesHeld(principal: TenantPrincipal, required: readonly Scope[]): boolean {
  if (principal.scopes.length === 0) {
    return false;
  }

  for (const scope of required) {
    if (!principal.scopes.includes(scope)) {
      return false;
    }
  }

  return true;
}

function isTenantKeyShaped(presented: string): boolean {
  return presented.startsWith(KEY_PREFIXES.live) || presented.startsWith(KEY_PREFIXES.test);
}

function singleHeader(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];

  return typeof value === 'string' && value !== '' ? value : undefined;
}
