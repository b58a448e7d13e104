import { freePort, spawnNode, stopChild, waitFor200 } from './processes';
import { CEILING_SCRIPT, ServiceEnvironment, spawnService } from './services';
import { median } from './stats';

export interface ColdStartResult {
  bareNodeMs: number[];
  serverMs: number[];
  medianBareNodeMs: number;
  medianServerMs: number;
  /** Median server start minus median bare Node start. */
  addedMs: number;
}

/** Polls every millisecond: the resolution has to be well below the 250 ms budget. */
const POLL_MS = 1;

async function bareNodeStart(): Promise<number> {
  const port = await freePort();
  const spawnedAt = performance.now();
  const child = spawnNode(CEILING_SCRIPT, { env: { PORT: String(port) }, stdio: 'ignore' });
  await waitFor200(`http://127.0.0.1:${port}/`, child, 30_000, POLL_MS);
  const elapsed = performance.now() - spawnedAt;
  await stopChild(child);

  return elapsed;
}

/**
 * The service as a fresh instance starts in production: its tables exist already (infrastructure
 * creates them), so it does not create them at boot.
 */
async function serverStart(service: ServiceEnvironment): Promise<number> {
  const started = await spawnService(service, { createTables: false });
  await waitFor200(`${started.baseUrl}/health/live`, started.child, 60_000, POLL_MS);
  const elapsed = performance.now() - started.spawnedAt;
  await stopChild(started.child);

  return elapsed;
}

/** Spawn to first 200, alternating bare Node and the server so that drift hits both alike. */
export async function measureColdStarts(
  service: ServiceEnvironment,
  runs: number,
): Promise<ColdStartResult> {
  const bareNodeMs: number[] = [];
  const serverMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      bareNodeMs.push(await bareNodeStart());
      serverMs.push(await serverStart(service));
    } else {
      serverMs.push(await serverStart(service));
      bareNodeMs.push(await bareNodeStart());
    }
  }

  const medianBareNodeMs = median(bareNodeMs);
  const medianServerMs = median(serverMs);

  return {
    bareNodeMs,
    serverMs,
    medianBareNodeMs,
    medianServerMs,
    addedMs: medianServerMs - medianBareNodeMs,
  };
}
