export * from './database-errors';
export * from './dynamo.connection';
export * from './dynamo.module';
export * from './embedded-dynamo';
export * from './table-definition';
export * from './table-definitions';
