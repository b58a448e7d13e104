export * from './dto/create-tenant.dto';
export * from './dto/tenant.view';
export * from './tenant.record';
export * from './tenants.module';
export * from './tenants.service';
