import { DatabaseServer, E2eDatabase, startDatabaseServer } from './database-server';

declare global {
  var e2eDatabase: DatabaseServer | undefined;
}

/** One database server for the whole e2e run; every suite gets its own table prefix in it. */
export default async function globalSetup(): Promise<void> {
  const kind = (process.env.E2E_DB ?? 'dynalite') as E2eDatabase;
  if (kind !== 'dynalite' && kind !== 'dynamodb-local') {
    throw new Error(`E2E_DB must be dynalite or dynamodb-local, got ${String(kind)}`);
  }

  const server = await startDatabaseServer(kind);
  globalThis.e2eDatabase = server;
  process.env.E2E_DYNAMODB_ENDPOINT = server.endpoint;
  process.stdout.write(`\ne2e database: ${kind} at ${server.endpoint}\n`);
}
