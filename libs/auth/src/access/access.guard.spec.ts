import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { AppException } from '@app/common';
import { AdminCredentialVerifier } from '../admin-keys/admin-credential.verifier';
import { ApiKeyAuthGuard } from '../api-keys/api-key-auth.guard';
import { AccessGuard } from './access.guard';
import { AdminRoute, Public } from './access.decorator';

class Routes {
  @Public()
  open(): void {}

  forgotten(): void {}

  @AdminRoute({ stepUp: false })
  admin(): void {}
}

function contextFor(handler: () => void, request: Record<string, unknown>): ExecutionContextHost {
  const context = new ExecutionContextHost([request, {}], Routes, handler);
  context.setType('http');

  return context;
}

describe(AccessGuard.name, () => {
  // Neither credential path is reached by these cases, so no verifier is needed.
  const guard = new AccessGuard(
    new Reflector(),
    undefined as unknown as ApiKeyAuthGuard,
    undefined as unknown as AdminCredentialVerifier,
  );
  const request = (headers: Record<string, string> = {}) => ({
    id: 'req-1',
    url: '/v1/admin/tenants',
    headers,
    routeOptions: { url: '/x' },
  });

  it('should admit a public route without a credential', async () => {
    await expect(guard.canActivate(contextFor(Routes.prototype.open, request()))).resolves.toBe(
      true,
    );
  });

  it('should refuse a route that declares no access rule', async () => {
    await expect(
      guard.canActivate(contextFor(Routes.prototype.forgotten, request())),
    ).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('should answer 401 on an admin route without any credential', async () => {
    const attempt = guard.canActivate(contextFor(Routes.prototype.admin, request()));

    await expect(attempt).rejects.toBeInstanceOf(AppException);
    await expect(attempt).rejects.toMatchObject({ code: 'unauthenticated', status: 401 });
  });

  it('should answer 403 admin_only for a tenant key on an admin route', async () => {
    const attempt = guard.canActivate(
      contextFor(Routes.prototype.admin, request({ 'x-api-key': 'dcs_test_x' })),
    );

    await expect(attempt).rejects.toMatchObject({ code: 'admin_only', status: 403 });
  });
});
