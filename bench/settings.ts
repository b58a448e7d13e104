/** How long and how hard to measure; the defaults keep a whole run well under ten minutes. */
export interface BenchSettings {
  rounds: number;
  durationS: number;
  warmupS: number;
  /** Concurrent connections for the throughput scenarios. */
  connections: number;
  /** Fewer connections for solves: the solver pool queues only a few tasks per thread. */
  solveConnections: number;
  fixedRate: number;
  fixedRateDurationS: number;
  coldStarts: number;
  /** When set, the service runs with --cpu-prof and writes its profile here. */
  cpuProfileDir?: string;
}

function intFrom(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') {
    return fallback;
  }

  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`${name} must be an integer of at least ${min}, got "${raw}"`);
  }

  return value;
}

export function readSettings(env: NodeJS.ProcessEnv): BenchSettings {
  return {
    rounds: intFrom(env, 'BENCH_ROUNDS', 5, 1),
    durationS: intFrom(env, 'BENCH_DURATION_S', 8, 1),
    warmupS: intFrom(env, 'BENCH_WARMUP_S', 2, 0),
    connections: intFrom(env, 'BENCH_CONNECTIONS', 50, 1),
    solveConnections: intFrom(env, 'BENCH_SOLVE_CONNECTIONS', 4, 1),
    fixedRate: intFrom(env, 'BENCH_FIXED_RATE', 1000, 1),
    fixedRateDurationS: intFrom(env, 'BENCH_FIXED_RATE_DURATION_S', 10, 1),
    coldStarts: intFrom(env, 'BENCH_COLD_STARTS', 5, 1),
    cpuProfileDir: env.BENCH_CPU_PROFILE_DIR || undefined,
  };
}
