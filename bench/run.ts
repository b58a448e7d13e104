import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import * as prettier from 'prettier';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measureColdStarts } from './cold-start';
import { provisionTenantKey } from './credentials';
import { LoadResult } from './load';
import { runPacedLoad } from './paced-load';
import { stopAllChildren, stopChild } from './processes';
import {
  BenchReport,
  describeMachine,
  evaluateTargets,
  FixedRateReport,
  invokeToHighsRatio,
  scenarioReports,
  toMarkdown,
} from './report';
import { defineScenarios, measureScenario, Scenario, ScenarioId } from './scenarios';
import {
  REPO_ROOT,
  serviceEnvironment,
  snapshotBuild,
  startCeiling,
  startDatabase,
  startService,
} from './services';
import { BenchSettings, readSettings } from './settings';
import { median } from './stats';

const RESULTS_DIR = join(REPO_ROOT, 'bench', 'results');
const PERFORMANCE_DOC = join(REPO_ROOT, 'docs', 'PERFORMANCE.md');
const DOC_START = '<!-- bench:latest:start -->';
const DOC_END = '<!-- bench:latest:end -->';
const LOG_CHUNK_BYTES = 16 * 1024 * 1024;
/** Enough keep-alive connections that a paced request never waits for one. */
const FIXED_RATE_SOCKETS = 64;

function say(message: string): void {
  process.stdout.write(`[bench] ${message}\n`);
}

/** Every round runs every scenario; odd rounds run them in reverse so drift hits all alike. */
async function runRounds(
  scenarios: Scenario[],
  settings: BenchSettings,
): Promise<Map<ScenarioId, LoadResult[]>> {
  const results = new Map<ScenarioId, LoadResult[]>(scenarios.map((scenario) => [scenario.id, []]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? scenarios : [...scenarios].reverse();
    for (const scenario of order) {
      const result = await measureScenario(scenario, settings);
      if (result !== null) {
        results.get(scenario.id)?.push(result);
        say(
          `round ${round + 1} ${scenario.number} ${scenario.title}: ${Math.round(result.rps)}/s, ` +
            `p99 ${result.p99.toFixed(2)} ms, errors ${result.errors}, ` +
            `CPU ${result.cpuUsPerRequest?.toFixed(1) ?? '?'} µs/request`,
        );
      }
    }
  }

  return results;
}

/**
 * Scenario 3 and the ceiling at the same fixed rate, alternating, for the p99 it adds. Requests
 * are paced evenly (see paced-load.ts): autocannon's rate option sends in bursts.
 */
async function runFixedRate(
  scenarios: Scenario[],
  settings: BenchSettings,
): Promise<FixedRateReport | { unavailable: string }> {
  const ceiling = scenarios.find((scenario) => scenario.id === 'ceiling');
  const tools = scenarios.find((scenario) => scenario.id === 'tools');
  if (tools?.kind !== 'http' || ceiling?.kind !== 'http') {
    return { unavailable: tools?.kind === 'unavailable' ? tools.reason : 'scenario 3 missing' };
  }

  const options = {
    rate: settings.fixedRate,
    durationS: settings.fixedRateDurationS,
    sockets: FIXED_RATE_SOCKETS,
  };
  const ceilingRuns: LoadResult[] = [];
  const toolsRuns: LoadResult[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const pair = [
      async () => ceilingRuns.push(await runPacedLoad(ceiling.request, options)),
      async () => toolsRuns.push(await runPacedLoad(tools.request, options)),
    ];
    for (const run of round % 2 === 0 ? pair : pair.reverse()) {
      await run();
    }
    say(
      `fixed rate round ${round + 1}: p99 ceiling ${ceilingRuns[round].p99.toFixed(2)} ms, ` +
        `scenario 3 ${toolsRuns[round].p99.toFixed(2)} ms`,
    );
  }

  return {
    rate: settings.fixedRate,
    ceilingP99Ms: ceilingRuns.map((run) => run.p99),
    toolsP99Ms: toolsRuns.map((run) => run.p99),
    ceilingErrors: ceilingRuns.reduce((sum, run) => sum + run.errors, 0),
    toolsErrors: toolsRuns.reduce((sum, run) => sum + run.errors, 0),
    addedP99Ms: median(toolsRuns.map((run, index) => run.p99 - ceilingRuns[index].p99)),
  };
}

/**
 * Counts the access lines in the service's log. The log of a run on a fast machine is larger
 * than the longest string V8 can hold, so it is read in chunks; a chunk keeps the end of the
 * one before it, so a line cut between two chunks is still found once.
 */
function countAccessLines(logFile: string): number {
  if (!existsSync(logFile)) {
    return 0;
  }

  const needle = Buffer.from('"request completed"');
  const chunk = Buffer.alloc(LOG_CHUNK_BYTES + needle.length);
  const fd = openSync(logFile, 'r');
  let count = 0;
  let kept = 0;
  try {
    for (;;) {
      const read = readSync(fd, chunk, kept, LOG_CHUNK_BYTES, null);
      if (read === 0) {
        break;
      }

      const data = chunk.subarray(0, kept + read);
      let from = 0;
      for (let at = data.indexOf(needle); at >= 0; at = data.indexOf(needle, from)) {
        count++;
        from = at + needle.length;
      }

      // Bytes that may begin a match the next chunk completes, never part of one counted.
      const keepFrom = Math.max(from, data.length - (needle.length - 1));
      kept = data.length - keepFrom;
      chunk.copy(chunk, 0, keepFrom, data.length);
    }
  } finally {
    closeSync(fd);
  }

  return count;
}

/**
 * Replaces the generated block of docs/PERFORMANCE.md; the prose around it is kept. The file is
 * formatted as the lint step checks it, so a run leaves `npm test` green.
 */
async function updatePerformanceDoc(markdown: string, resultFile: string): Promise<void> {
  if (!existsSync(PERFORMANCE_DOC)) {
    say(`${PERFORMANCE_DOC} not found; table not copied there`);

    return;
  }

  const doc = readFileSync(PERFORMANCE_DOC, 'utf8');
  const start = doc.indexOf(DOC_START);
  const end = doc.indexOf(DOC_END);
  if (start < 0 || end < start) {
    say(`${PERFORMANCE_DOC} has no ${DOC_START} block; table not copied there`);

    return;
  }

  const block = `${DOC_START}\n\n${markdown}\nRaw numbers: \`bench/results/${resultFile}\`.\n\n`;
  const updated = doc.slice(0, start) + block + doc.slice(end);
  const options = (await prettier.resolveConfig(PERFORMANCE_DOC)) ?? {};
  writeFileSync(
    PERFORMANCE_DOC,
    await prettier.format(updated, { ...options, filepath: PERFORMANCE_DOC }),
  );
}

async function main(): Promise<void> {
  const settings = readSettings(process.env);
  const startedAt = new Date();
  const machine = describeMachine();
  const workDir = mkdtempSync(join(tmpdir(), 'dcisionai-bench-'));
  say(`settings ${JSON.stringify(settings)}; work directory ${workDir}`);

  snapshotBuild();
  const database = await startDatabase();
  const service = serviceEnvironment(workDir, database.baseUrl);
  const ceiling = await startCeiling();
  const app = await startService(service, {
    createTables: true,
    cpuProfileDir: settings.cpuProfileDir,
  });
  say(`database ${database.baseUrl}, ceiling ${ceiling.baseUrl}, service ${app.baseUrl}`);

  const credentials = await provisionTenantKey(app.baseUrl, service);
  const scenarios = await defineScenarios(ceiling, app, credentials, settings);
  for (const scenario of scenarios) {
    if (scenario.kind === 'unavailable') {
      say(`scenario ${scenario.number} not measured: ${scenario.reason}`);
    }
  }

  const rounds = await runRounds(scenarios, settings);
  const fixedRate = await runFixedRate(scenarios, settings);
  const coldStart = await measureColdStarts(service, settings.coldStarts);
  say(
    `cold start: bare ${coldStart.bareNodeMs.map((value) => value.toFixed(1)).join(', ')} ms; ` +
      `server ${coldStart.serverMs.map((value) => value.toFixed(1)).join(', ')} ms`,
  );

  // Stopping the service flushes its log, so the access lines can be counted.
  await stopChild(app.child);
  const scenarioResults = scenarioReports(scenarios, rounds);
  const invokeToHighs = invokeToHighsRatio(rounds);
  const report: BenchReport = {
    date: startedAt.toISOString(),
    durationS: (Date.now() - startedAt.getTime()) / 1000,
    machine,
    settings,
    scenarios: scenarioResults,
    invokeToHighs,
    fixedRate,
    coldStart: { ...coldStart, lambda: 'n/a: the Lambda handler does not exist yet' },
    accessLogLines: countAccessLines(service.logFile),
    targets: evaluateTargets(scenarioResults, invokeToHighs, fixedRate, coldStart),
  };

  const markdown = toMarkdown(report);
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\..*$/, 'Z');
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(join(RESULTS_DIR, `${stamp}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS_DIR, `${stamp}.md`), markdown);
  await updatePerformanceDoc(markdown, `${stamp}.json`);
  process.stdout.write(`\n${markdown}\n`);
  say(`results in bench/results/${stamp}.json and .md`);
  rmSync(workDir, { recursive: true, force: true });
}

// A failed run keeps its work directory (the service's log is in it) for diagnosis.
process.once('SIGINT', () => {
  void stopAllChildren().then(() => process.exit(130));
});
main()
  .catch((error: unknown) => {
    process.stderr.write(
      `[bench] failed: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exitCode = 1;
  })
  .finally(() => stopAllChildren());
