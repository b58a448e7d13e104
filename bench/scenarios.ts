import { join } from 'node:path';
import { LoadRequest, LoadResult, runLoad } from './load';
import { firstJsonLine, httpRequest, spawnNode, stopChild } from './processes';
import { processCpuMs } from './cpu-time';
import { RunningServer } from './services';
import { BenchSettings } from './settings';
import { SMALL_LP, SMALL_LP_OBJECTIVE } from './small-lp';

export type ScenarioId = 'ceiling' | 'live' | 'tools' | 'jwt' | 'highs' | 'invoke';

interface ScenarioBase {
  id: ScenarioId;
  /** Numbering of issue 5: 5a and 5b are the two sides of scenario 5. */
  number: string;
  title: string;
}

export type Scenario =
  | (ScenarioBase & {
      kind: 'http';
      request: LoadRequest;
      connections: number;
      /** The process answering, whose CPU time per request is reported. */
      serverPid?: number;
    })
  | (ScenarioBase & { kind: 'highs' })
  | (ScenarioBase & { kind: 'unavailable'; reason: string });

export type Credentials = { apiKey: string } | { unavailable: string };

export const INVOKE_PATH = '/v1/tools/solve_optimization/invoke';

/** Long enough for the few requests a stopped run leaves in flight to be answered. */
const SETTLE_MS = 500;

/** Makes one request first, so a scenario that cannot answer is reported, not measured. */
async function probed(
  base: ScenarioBase,
  request: LoadRequest,
  connections: number,
  serverPid: number | undefined,
  accept: (body: string) => boolean,
): Promise<Scenario> {
  const target = `${request.method ?? 'GET'} ${new URL(request.url).pathname}`;
  try {
    const answer = await httpRequest(request.url, request);
    if (answer.status === 200 && accept(answer.body)) {
      return { ...base, kind: 'http', request, connections, serverPid };
    }

    return {
      ...base,
      kind: 'unavailable',
      reason: `${target} answered ${answer.status}: ${answer.body.slice(0, 160)}`,
    };
  } catch (error) {
    return { ...base, kind: 'unavailable', reason: `${target} failed: ${String(error)}` };
  }
}

function solvedSmallLp(body: string): boolean {
  return body.includes(`"objectiveValue":${SMALL_LP_OBJECTIVE}`);
}

export async function defineScenarios(
  ceiling: RunningServer,
  service: RunningServer,
  credentials: Credentials,
  settings: BenchSettings,
): Promise<Scenario[]> {
  const serviceUrl = service.baseUrl;
  const servicePid = service.child.pid;
  const keyHeaders = 'apiKey' in credentials ? { 'x-api-key': credentials.apiKey } : undefined;
  const noKey = 'unavailable' in credentials ? credentials.unavailable : undefined;
  const tools: ScenarioBase = { id: 'tools', number: '3', title: 'GET /v1/tools, API key' };
  const invoke: ScenarioBase = {
    id: 'invoke',
    number: '5b',
    title: `POST ${INVOKE_PATH}, small LP`,
  };

  return [
    {
      id: 'ceiling',
      number: '1',
      title: 'Bare Node http, fixed JSON (ceiling)',
      kind: 'http',
      request: { url: `${ceiling.baseUrl}/` },
      connections: settings.connections,
      serverPid: ceiling.child.pid,
    },
    await probed(
      { id: 'live', number: '2', title: 'GET /health/live' },
      { url: `${serviceUrl}/health/live` },
      settings.connections,
      servicePid,
      () => true,
    ),
    noKey !== undefined
      ? { ...tools, kind: 'unavailable', reason: noKey }
      : await probed(
          tools,
          { url: `${serviceUrl}/v1/tools`, headers: keyHeaders },
          settings.connections,
          servicePid,
          (body) => body.includes('solve_optimization'),
        ),
    {
      id: 'jwt',
      number: '4',
      title: 'GET /v1/tools, JWT',
      kind: 'unavailable',
      reason: 'n/a: JWT sessions not built yet',
    },
    { id: 'highs', number: '5a', title: 'HiGHS direct, one process, same LP', kind: 'highs' },
    noKey !== undefined
      ? { ...invoke, kind: 'unavailable', reason: noKey }
      : await probed(
          invoke,
          {
            url: `${serviceUrl}${INVOKE_PATH}`,
            method: 'POST',
            headers: { ...keyHeaders, 'content-type': 'application/json' },
            body: JSON.stringify({ input: { lp: SMALL_LP } }),
          },
          settings.solveConnections,
          servicePid,
          solvedSmallLp,
        ),
  ];
}

/** The direct HiGHS loop runs in a child of its own, like the service: one process, one thread. */
async function runHighsLoop(settings: BenchSettings): Promise<LoadResult> {
  const child = spawnNode(join(__dirname, 'highs-loop.js'), {
    env: {
      BENCH_LOOP_MS: String(settings.durationS * 1000),
      BENCH_WARMUP_MS: String(settings.warmupS * 1000),
    },
  });
  const timeoutMs = (settings.durationS + settings.warmupS + 30) * 1000;
  const result = await firstJsonLine<Omit<LoadResult, 'statusCodes'>>(child, timeoutMs);
  await stopChild(child);

  return { ...result, statusCodes: {} };
}

export async function measureScenario(
  scenario: Scenario,
  settings: BenchSettings,
): Promise<LoadResult | null> {
  if (scenario.kind === 'unavailable') {
    return null;
  }
  if (scenario.kind === 'highs') {
    return runHighsLoop(settings);
  }

  const { request, connections, serverPid } = scenario;
  // JIT and caches settle before measuring; the warm-up's numbers are discarded.
  if (settings.warmupS > 0) {
    await runLoad(request, { connections, durationS: settings.warmupS });
    // autocannon drops its connections with requests still in flight; the server finishes them
    // (solves keep their tenant's places until they end), so the measured run starts after them.
    await new Promise((resolveWait) => setTimeout(resolveWait, SETTLE_MS));
  }

  const cpuBefore = processCpuMs(serverPid);
  const result = await runLoad(request, { connections, durationS: settings.durationS });
  const cpuAfter = processCpuMs(serverPid);
  const served = result.ok + result.errors;
  result.cpuUsPerRequest =
    cpuBefore === null || cpuAfter === null || served === 0
      ? null
      : ((cpuAfter - cpuBefore) * 1000) / served;

  return result;
}
