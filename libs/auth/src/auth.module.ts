import { Global, Module } from '@nestjs/common';
import { APP_GUARD, DiscoveryModule } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import { AccessGuard } from './access/access.guard';
import { HotRoutes } from './access/hot-routes.service';
import { AdminCredentialVerifier } from './admin-keys/admin-credential.verifier';
import { AdminKeyRepository } from './admin-keys/admin-key.repository';
import { StepUpTokenRepository } from './admin-keys/step-up-token.repository';
import { AdminApiKeysController } from './api-keys/admin-api-keys.controller';
import { ApiKeyAuthGuard } from './api-keys/api-key-auth.guard';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyStrategy } from './api-keys/api-key.strategy';
import { ApiKeyVerifier } from './api-keys/api-key.verifier';
import { ApiKeysController } from './api-keys/api-keys.controller';
import { ApiKeysService } from './api-keys/api-keys.service';
import { AdminAuditInterceptor } from './audit/admin-audit.interceptor';
import { AdminAuditRepository } from './audit/admin-audit.repository';
import { KeyMaterialService } from './keys/key-material.service';

/**
 * Credentials and the global access guard. Global, so the admin and tenants modules (and their
 * audit interceptor) share one key store, one verifier cache and one audit repository.
 * Needs TENANT_DIRECTORY, which the global TenantsModule provides.
 */
@Global()
@Module({
  imports: [PassportModule, DiscoveryModule],
  controllers: [ApiKeysController, AdminApiKeysController],
  providers: [
    KeyMaterialService,
    ApiKeyRepository,
    ApiKeyVerifier,
    ApiKeyStrategy,
    ApiKeyAuthGuard,
    ApiKeysService,
    AdminKeyRepository,
    StepUpTokenRepository,
    AdminCredentialVerifier,
    AdminAuditRepository,
    AdminAuditInterceptor,
    AccessGuard,
    { provide: APP_GUARD, useExisting: AccessGuard },
    HotRoutes,
  ],
  exports: [
    HotRoutes,
    KeyMaterialService,
    ApiKeysService,
    ApiKeyVerifier,
    AdminKeyRepository,
    StepUpTokenRepository,
    AdminCredentialVerifier,
    AdminAuditRepository,
    AdminAuditInterceptor,
  ],
})
export class AuthModule {}
