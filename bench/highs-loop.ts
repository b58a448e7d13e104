import loadHighs from 'highs';
import { SMALL_LP, SMALL_LP_OBJECTIVE } from './small-lp';
import { summarize } from './stats';

/**
 * HiGHS's own speed on the small LP: one process solving it back to back on one thread, with
 * the options the service's worker uses. Prints one JSON line with solves/s and latencies.
 */
async function main(): Promise<void> {
  const durationMs = Number(process.env.BENCH_LOOP_MS ?? 5000);
  const warmupMs = Number(process.env.BENCH_WARMUP_MS ?? 1000);
  const highs = await loadHighs();
  const options = { output_flag: false };

  // The service's workers are warm too: their HiGHS instance is loaded once per thread.
  const warmupEnd = performance.now() + warmupMs;
  while (performance.now() < warmupEnd) {
    highs.solve(SMALL_LP, options);
  }

  const latencies: number[] = [];
  let wrong = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + durationMs;
  for (let now = started; now < end;) {
    const solution = highs.solve(SMALL_LP, options);
    const finished = performance.now();
    latencies.push(finished - now);
    if (solution.Status !== 'Optimal' || solution.ObjectiveValue !== SMALL_LP_OBJECTIVE) {
      wrong++;
    }
    now = finished;
  }
  const elapsedS = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);

  const result = {
    rps: latencies.length / elapsedS,
    ok: latencies.length - wrong,
    errors: wrong,
    cpuUsPerRequest: (cpu.user + cpu.system) / latencies.length,
    ...summarize(latencies),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
