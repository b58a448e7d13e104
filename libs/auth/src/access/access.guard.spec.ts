import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AppException } from '@app/common';
import { AdminCredentialVerifier } from '../admin-keys/admin-credential.verifier';
import { ApiKeyAuthGuard } from '../api-keys/api-key-auth.guard';
import { VerifiedApiKey } from '../api-keys/api-key.verifier';
import { CidrMatcher } from '../network/cidr.matcher';
import { Scope } from '../principal/scope.types';
import { AccessGuard } from './access.guard';
import { AdminRoute, Public, TenantRoute } from './access.decorator';
import { CredentialRejection } from './credential-rejection.error';

class Routes {
  @Public()
  open(): void {}

  forgotten(): void {}

  @AdminRoute({ stepUp: false })
  admin(): void {}

  @TenantRoute('tools:read')
  tools(): void {}
}

function contextFor(handler: () => void, request: Record<string, unknown>): ExecutionContextHost {
  const context = new ExecutionContextHost([request, {}], Routes, handler);
  context.setType('http');

  return context;
}

function verified(scopes: Scope[], cidrs?: string[]): VerifiedApiKey {
  return {
    principal: {
      kind: 'tenant',
      method: 'api_key',
      tenantId: 'ten_1',
      keyId: 'key_1',
      scopes,
    },
    cidrs: cidrs === undefined ? undefined : new CidrMatcher(cidrs),
    usage: { keyId: 'key_1', touchDueAt: 0 },
  };
}

const request = (headers: Record<string, string> = {}): Record<string, unknown> => ({
  id: 'req-1',
  url: '/v1/admin/tenants',
  ip: '10.0.0.1',
  headers,
  routeOptions: { url: '/x' },
  principal: null,
});

/** Runs the guard as Nest does: a synchronous throw and a rejection both refuse. */
async function activate(guard: AccessGuard, context: ExecutionContextHost): Promise<boolean> {
  return guard.canActivate(context);
}

describe(AccessGuard.name, () => {
  // Neither credential path is reached by these cases, so no verifier is needed.
  const guard = new AccessGuard(
    new Reflector(),
    undefined as unknown as ApiKeyAuthGuard,
    undefined as unknown as AdminCredentialVerifier,
  );

  it('should admit a public route without a credential', async () => {
    await expect(activate(guard, contextFor(Routes.prototype.open, request()))).resolves.toBe(true);
  });

  it('should refuse a route that declares no access rule, every time', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(
        activate(guard, contextFor(Routes.prototype.forgotten, request())),
      ).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('should read a route rule once and keep applying it', async () => {
    const reflector = new Reflector();
    const read = jest.spyOn(reflector, 'getAllAndOverride');
    const cached = new AccessGuard(
      reflector,
      undefined as unknown as ApiKeyAuthGuard,
      undefined as unknown as AdminCredentialVerifier,
    );

    for (let attempt = 0; attempt < 3; attempt++) {
      await expect(activate(cached, contextFor(Routes.prototype.open, request()))).resolves.toBe(
        true,
      );
      await expect(
        activate(cached, contextFor(Routes.prototype.admin, request())),
      ).rejects.toMatchObject({ code: 'unauthenticated' });
    }
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('should answer 401 on an admin route without any credential', async () => {
    const attempt = activate(guard, contextFor(Routes.prototype.admin, request()));

    await expect(attempt).rejects.toBeInstanceOf(AppException);
    await expect(attempt).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('should answer 403 admin_only for a tenant key on an admin route', async () => {
    const attempt = activate(
      guard,
      contextFor(Routes.prototype.admin, request({ 'x-api-key': 'dcs_test_x' })),
    );

    await expect(attempt).rejects.toMatchObject({ code: 'admin_only', status: 403 });
  });

  it('should answer 403 admin_only for a tenant key sent as the admin key, without verifying it', async () => {
    for (const key of ['dcs_test_x', 'dcs_live_x']) {
      const attempt = activate(
        guard,
        contextFor(Routes.prototype.admin, request({ 'x-admin-key': key })),
      );

      await expect(attempt).rejects.toMatchObject({ code: 'admin_only', status: 403 });
    }
  });

  describe('on a tenant route', () => {
    let recordUse: jest.Mock;

    function guardAnswering(answer: () => VerifiedApiKey | Promise<VerifiedApiKey>): AccessGuard {
      recordUse = jest.fn();
      const apiKeys = { authenticate: jest.fn(answer), recordUse } as unknown as ApiKeyAuthGuard;

      return new AccessGuard(
        new Reflector(),
        apiKeys,
        undefined as unknown as AdminCredentialVerifier,
      );
    }

    it('should admit a cached key synchronously and set the principal', () => {
      const key = verified(['tools:read']);
      const incoming = request({ 'x-api-key': 'k' });

      expect(
        guardAnswering(() => key).canActivate(contextFor(Routes.prototype.tools, incoming)),
      ).toBe(true);
      expect(incoming.principal).toBe(key.principal);
      expect(recordUse).toHaveBeenCalledWith(key.usage);
    });

    it('should admit a key verified asynchronously and set the principal', async () => {
      const key = verified(['tools:read']);
      const incoming = request({ 'x-api-key': 'k' });
      const outcome = guardAnswering(() => Promise.resolve(key)).canActivate(
        contextFor(Routes.prototype.tools, incoming),
      );

      expect(outcome).toBeInstanceOf(Promise);
      await expect(outcome).resolves.toBe(true);
      expect(incoming.principal).toBe(key.principal);
    });

    it.each([
      [
        'synchronously',
        (error: Error) => () => {
          throw error;
        },
      ],
      ['asynchronously', (error: Error) => () => Promise.reject(error)],
    ])('should turn every credential rejection into one 401 %s', async (_how, failing) => {
      for (const reason of ['missing', 'malformed', 'unknown', 'revoked', 'expired'] as const) {
        const refusing = guardAnswering(failing(new CredentialRejection(reason)));
        const attempt = activate(
          refusing,
          contextFor(Routes.prototype.tools, request({ 'x-api-key': 'k' })),
        );

        await expect(attempt).rejects.toMatchObject({
          code: 'unauthenticated',
          status: 401,
          detail: 'A valid credential is required.',
        });
      }
    });

    it('should pass other errors through, a suspended tenant or an outage', async () => {
      const suspended = new AppException('tenant_suspended');
      const outage = new Error('connect ECONNREFUSED');

      await expect(
        activate(
          guardAnswering(() => {
            throw suspended;
          }),
          contextFor(Routes.prototype.tools, request({ 'x-api-key': 'k' })),
        ),
      ).rejects.toBe(suspended);
      await expect(
        activate(
          guardAnswering(() => Promise.reject(outage)),
          contextFor(Routes.prototype.tools, request({ 'x-api-key': 'k' })),
        ),
      ).rejects.toBe(outage);
    });

    it('should refuse a key lacking the route scope, and a key with no scope', async () => {
      for (const scopes of [['keys:read'], []] as Scope[][]) {
        const incoming = request({ 'x-api-key': 'k' });
        const attempt = activate(
          guardAnswering(() => verified(scopes)),
          contextFor(Routes.prototype.tools, incoming),
        );

        await expect(attempt).rejects.toMatchObject({ code: 'insufficient_scope', status: 403 });
        expect(incoming.principal).toBeNull();
        expect(recordUse).not.toHaveBeenCalled();
      }
    });

    it('should refuse a key used outside its CIDR ranges, synchronously or not', async () => {
      for (const answer of [
        () => verified(['tools:read'], ['192.168.0.0/16']),
        () => Promise.resolve(verified(['tools:read'], ['192.168.0.0/16'])),
      ]) {
        const incoming = request({ 'x-api-key': 'k' });
        const attempt = activate(
          guardAnswering(answer),
          contextFor(Routes.prototype.tools, incoming),
        );

        await expect(attempt).rejects.toMatchObject({ code: 'ip_not_allowed', status: 403 });
        expect(incoming.principal).toBeNull();
        expect(recordUse).not.toHaveBeenCalled();
      }
    });

    it('should answer 401 to an admin key on a tenant route without verifying anything', async () => {
      const admitting = guardAnswering(() => verified(['tools:read']));
      const attempt = activate(
        admitting,
        contextFor(Routes.prototype.tools, request({ 'x-admin-key': 'dca_x' })),
      );

      await expect(attempt).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
    });
  });

  describe('admitting from memory', () => {
    const scopes: Scope[] = ['tools:read'];

    function guardAnswering(answer: () => VerifiedApiKey | Promise<VerifiedApiKey>): AccessGuard {
      const apiKeys = { authenticate: answer, recordUse: () => undefined };

      return new AccessGuard(
        new Reflector(),
        apiKeys as unknown as ApiKeyAuthGuard,
        undefined as unknown as AdminCredentialVerifier,
      );
    }

    it('should admit a cached key holding every scope and set the principal', () => {
      const key = verified(['tools:read', 'tools:invoke']);
      const incoming = request({ 'x-api-key': 'k' });

      expect(guardAnswering(() => key).admitFromMemory(incoming as never, scopes)).toBe(true);
      expect(incoming.principal).toBe(key.principal);
    });

    it('should decline, admitting nothing, whatever canActivate would refuse or read', () => {
      const pending = Promise.reject(new CredentialRejection('unknown'));
      const cases: [
        string,
        Record<string, string>,
        () => VerifiedApiKey | Promise<VerifiedApiKey>,
      ][] = [
        ['no key', {}, () => verified(scopes)],
        ['an admin key only', { 'x-admin-key': 'dca_x' }, () => verified(scopes)],
        [
          'a refused key',
          { 'x-api-key': 'k' },
          () => {
            throw new CredentialRejection('revoked');
          },
        ],
        [
          'a suspended tenant',
          { 'x-api-key': 'k' },
          () => {
            throw new AppException('tenant_suspended');
          },
        ],
        ['a key not cached', { 'x-api-key': 'k' }, () => pending],
        ['a missing scope', { 'x-api-key': 'k' }, () => verified(['tools:invoke'])],
        ['no scope at all', { 'x-api-key': 'k' }, () => verified([])],
        ['another address', { 'x-api-key': 'k' }, () => verified(scopes, ['192.168.0.0/16'])],
      ];

      for (const [, headers, answer] of cases) {
        const incoming = request(headers);

        expect(guardAnswering(answer).admitFromMemory(incoming as never, scopes)).toBe(false);
        expect(incoming.principal).toBeNull();
      }
    });
  });
});
