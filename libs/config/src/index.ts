export * from './app-config.module';
export * from './app-config.service';
export * from './config.schema';
