export * from './database-errors.util';
export * from './dynamo.connection';
export * from './dynamo.module';
export * from './embedded-dynamo.server';
export * from './table-definition.types';
export * from './table-definitions.constants';
