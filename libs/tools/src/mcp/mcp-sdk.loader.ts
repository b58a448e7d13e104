import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

/** The parts of the MCP SDK the transport uses, as loaded on demand. */
export interface McpSdk {
  Server: typeof Server;
  StreamableHTTPServerTransport: typeof StreamableHTTPServerTransport;
  types: typeof import('@modelcontextprotocol/sdk/types.js');
}

/**
 * Loads the MCP SDK (and zod with it) on the first /mcp request instead of at boot: together
 * they cost about 100 ms of module loading, which every fresh instance paid before it could
 * answer anything, MCP client or not. The load happens once; later calls share its promise.
 */
export class McpSdkLoader {
  private loading: Promise<McpSdk> | undefined;

  load(): Promise<McpSdk> {
    this.loading ??= McpSdkLoader.importSdk();
    // A failed load is retried by the next request rather than remembered.
    this.loading.catch(() => {
      this.loading = undefined;
    });

    return this.loading;
  }

  private static async importSdk(): Promise<McpSdk> {
    const [server, transport, types] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/index.js'),
      import('@modelcontextprotocol/sdk/server/streamableHttp.js'),
      import('@modelcontextprotocol/sdk/types.js'),
    ]);

    return {
      Server: server.Server,
      StreamableHTTPServerTransport: transport.StreamableHTTPServerTransport,
      types,
    };
  }
}
