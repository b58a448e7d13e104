import { Global, Module } from '@nestjs/common';
import { TENANT_DIRECTORY } from '@app/auth';
import { AdminTenantsController } from './admin-tenants.controller';
import { TenantDirectoryService } from './tenant-directory.service';
import { TenantsRepository } from './tenants.repository';
import { TenantsService } from './tenants.service';

/** Global so that the auth module's guard finds TENANT_DIRECTORY without importing tenants. */
@Global()
@Module({
  controllers: [AdminTenantsController],
  providers: [
    TenantsRepository,
    TenantDirectoryService,
    TenantsService,
    { provide: TENANT_DIRECTORY, useExisting: TenantDirectoryService },
  ],
  exports: [TenantsService, TENANT_DIRECTORY],
})
export class TenantsModule {}
