export * from './app-config.module';
export * from './app-config.service';
export * from './config-validation.error';
export * from './config.schema';
