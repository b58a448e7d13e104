export * from './errors/problem.filter';
export * from './errors/validation-pipe.factory';
export * from './http/request-hooks';
export * from './http/request-id';
export * from './http/route-methods';
export * from './http/security-headers';
export * from './logging/root-logger.factory';
export * from './observability.module';
