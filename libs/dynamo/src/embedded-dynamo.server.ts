import { mkdirSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type dynaliteFactory from 'dynalite';

interface LevelStore {
  open(): Promise<void>;
  close(): Promise<void>;
}

type LevelConstructor = new (path: string) => LevelStore;

/**
 * dynalite inside this process, persisted under a data directory, so the service runs with
 * nothing but Node. It listens on loopback only: nothing outside the machine can reach it.
 */
export class EmbeddedDynamo {
  private constructor(
    private readonly server: Server,
    readonly endpoint: string,
    readonly path: string | undefined,
  ) {}

  /** Starts dynalite; without a data directory it keeps everything in memory. */
  static async start(dataDir?: string, port = 0): Promise<EmbeddedDynamo> {
    const path = dataDir === undefined ? undefined : resolve(join(dataDir, 'dynalite'));
    if (path !== undefined) {
      mkdirSync(path, { recursive: true });
      await assertNotInUse(path);
    }

    // Loaded here, not at the top: a service on an external database never pays for dynalite.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const dynalite = require('dynalite') as typeof dynaliteFactory;
    const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((resolveListen, rejectListen) => {
      server.once('error', rejectListen);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', rejectListen);
        resolveListen();
      });
    });
    const { port: boundPort } = server.address() as AddressInfo;

    return new EmbeddedDynamo(server, `http://127.0.0.1:${boundPort}`, path);
  }

  /** Stops listening and closes the store, so its files are consistent on disk. */
  async stop(): Promise<void> {
    this.server.closeAllConnections?.();
    await new Promise<void>((resolveClose) => this.server.close(() => resolveClose()));
  }
}

/**
 * dynalite opens its LevelDB store lazily, so a store locked by another process surfaces only as
 * "Database is closed" thrown from its first request, which crashes the process. Opening the
 * store once here, with the same LevelDB module dynalite uses, turns that into a clear error.
 */
async function assertNotInUse(path: string): Promise<void> {
  const levelPath = require.resolve('level', { paths: [dirname(require.resolve('dynalite'))] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Level } = require(levelPath) as { Level: LevelConstructor };
  const store = new Level(path);
  try {
    await store.open();
  } catch (error) {
    const locked = (error as { cause?: { code?: unknown } }).cause?.code === 'LEVEL_LOCKED';

    throw new Error(
      locked
        ? `The embedded database in ${path} is in use by another process: stop it, or give this one another DATA_DIR`
        : `The embedded database in ${path} could not be opened`,
      { cause: error },
    );
  }

  await store.close();
}
