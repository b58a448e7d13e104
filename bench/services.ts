import { randomBytes } from 'node:crypto';
import { closeSync, cpSync, existsSync, openSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ChildProcess } from 'node:child_process';
import { firstJsonLine, freePort, spawnNode, waitFor200 } from './processes';

/**
 * The compiled bench runs from node_modules/.cache/dcisionai-bench/bench, and the service from a
 * snapshot of the build beside it: other builds in the same tree empty dist/ at any moment.
 */
const CACHE_DIR = resolve(__dirname, '..');
export const REPO_ROOT = resolve(CACHE_DIR, '..', '..', '..');
const SNAPSHOT_DIR = join(CACHE_DIR, 'app');
export const APP_MAIN = join(SNAPSHOT_DIR, 'bundle', 'main.js');
export const ADMIN_CLI = join(SNAPSHOT_DIR, 'scripts', 'admin-cli.js');
const BENCH_DIST = __dirname;

/** Copies the fresh build (and package.json, for the version it reports) out of dist/. */
export function snapshotBuild(): void {
  const dist = join(REPO_ROOT, 'dist');
  if (!existsSync(join(dist, 'bundle', 'main.js'))) {
    throw new Error(`${dist}/bundle/main.js is missing: run npm run build first`);
  }

  rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  for (const part of ['apps', 'libs', 'scripts', 'bundle']) {
    if (existsSync(join(dist, part))) {
      cpSync(join(dist, part), join(SNAPSHOT_DIR, part), { recursive: true });
    }
  }
  cpSync(join(REPO_ROOT, 'package.json'), join(SNAPSHOT_DIR, 'package.json'));
}

export interface RunningServer {
  child: ChildProcess;
  baseUrl: string;
}

/** Starts one of the bench's helper scripts and waits for the port it reports. */
async function startHelper(
  script: string,
  env: Record<string, string> = {},
): Promise<RunningServer> {
  const child = spawnNode(join(BENCH_DIST, script), { env });
  const { port } = await firstJsonLine<{ port: number }>(child, 30_000);

  return { child, baseUrl: `http://127.0.0.1:${port}` };
}

export function startDatabase(): Promise<RunningServer> {
  return startHelper('dynalite-server.js');
}

export function startCeiling(): Promise<RunningServer> {
  return startHelper('ceiling-server.js');
}

export const CEILING_SCRIPT = join(BENCH_DIST, 'ceiling-server.js');

/** What every service process of one run shares: its database, tables, data and secrets. */
export interface ServiceEnvironment {
  databaseEndpoint: string;
  tablePrefix: string;
  dataDir: string;
  pepper: string;
  logFile: string;
}

export function serviceEnvironment(workDir: string, databaseEndpoint: string): ServiceEnvironment {
  return {
    databaseEndpoint,
    tablePrefix: `bench-${randomBytes(4).toString('hex')}-`,
    dataDir: join(workDir, 'data'),
    pepper: randomBytes(32).toString('base64url'),
    logFile: join(workDir, 'service.log'),
  };
}

/**
 * The service as production runs it (STAGE=prod: no docs, JSON logs at info, so every request
 * writes its access line), from the build, in its own process.
 */
export function serviceEnv(
  service: ServiceEnvironment,
  port: number | undefined,
  createTables: boolean,
): Record<string, string> {
  return {
    // The admin CLI serves nothing, so it gets no port.
    ...(port === undefined ? {} : { PORT: String(port) }),
    HOST: '127.0.0.1',
    STAGE: 'prod',
    LOG_LEVEL: 'info',
    DYNAMODB_ENDPOINT: service.databaseEndpoint,
    DYNAMODB_CREATE_TABLES: String(createTables),
    TABLE_PREFIX: service.tablePrefix,
    DATA_DIR: service.dataDir,
    API_KEY_PEPPER: service.pepper,
  };
}

export interface StartServiceOptions {
  createTables: boolean;
  cpuProfileDir?: string;
  extraEnv?: Record<string, string>;
}

/** Spawns the built service with its logs appended to the run's log file. */
export async function spawnService(
  service: ServiceEnvironment,
  options: StartServiceOptions,
): Promise<RunningServer & { spawnedAt: number }> {
  const port = await freePort();
  const log = openSync(service.logFile, 'a');
  const spawnedAt = performance.now();
  const child = spawnNode(APP_MAIN, {
    env: { ...serviceEnv(service, port, options.createTables), ...options.extraEnv },
    stdio: ['ignore', log, log],
    nodeOptions: options.cpuProfileDir
      ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`]
      : [],
  });
  closeSync(log);

  return { child, spawnedAt, baseUrl: `http://127.0.0.1:${port}` };
}

export async function startService(
  service: ServiceEnvironment,
  options: StartServiceOptions,
): Promise<RunningServer> {
  const started = await spawnService(service, options);
  await waitFor200(`${started.baseUrl}/health/live`, started.child, 60_000, 20);

  return started;
}
