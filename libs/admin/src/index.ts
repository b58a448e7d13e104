export * from './admin-bootstrap.service';
export * from './admin-keys.service';
export * from './admin.module';
export * from './cli/admin-cli.module';
export * from './step-up.service';
export * from './totp.service';
