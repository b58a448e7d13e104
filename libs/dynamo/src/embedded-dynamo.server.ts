import { mkdirSync } from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import dynalite from 'dynalite';

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
    }

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
