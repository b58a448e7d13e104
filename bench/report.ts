import { cpus, loadavg, release, totalmem } from 'node:os';
import { ColdStartResult } from './cold-start';
import { LoadResult } from './load';
import { Scenario, ScenarioId } from './scenarios';
import { BenchSettings } from './settings';
import { median } from './stats';

export interface ScenarioReport {
  id: ScenarioId;
  number: string;
  title: string;
  unit: 'req/s' | 'solves/s';
  /** Why the scenario was not measured; absent when it was. */
  unavailable?: string;
  rounds: LoadResult[];
  median: { rps: number; p50: number; p95: number; p99: number; cpuUs: number | null } | null;
  /** Failed requests over all measured rounds (warm-ups excluded). */
  errors: number;
  /** Median over rounds of this scenario's rate divided by the ceiling's in the same round. */
  ratioToCeiling: number | null;
}

export interface FixedRateReport {
  rate: number;
  ceilingP99Ms: number[];
  toolsP99Ms: number[];
  ceilingErrors: number;
  toolsErrors: number;
  /** Median over rounds of (scenario 3 p99 minus ceiling p99) measured back to back. */
  addedP99Ms: number;
}

export interface TargetReport {
  goal: string;
  measured: string;
  /** null when the target cannot be measured yet. */
  met: boolean | null;
  note: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
  loadAverageAtStart: number[];
}

export interface BenchReport {
  date: string;
  durationS: number;
  machine: Machine;
  settings: BenchSettings;
  scenarios: ScenarioReport[];
  /** Scenario 5b's rate over 5a's, the median of per-round ratios. */
  invokeToHighs: number | null;
  fixedRate: FixedRateReport | { unavailable: string };
  coldStart: ColdStartResult & { lambda: string };
  /** Access log lines the service wrote: proof that request logging stayed on. */
  accessLogLines: number;
  targets: TargetReport[];
}

export function describeMachine(): Machine {
  const cores = cpus();

  return {
    cpu: cores[0]?.model ?? 'unknown',
    cores: cores.length,
    memoryGb: Math.round(totalmem() / 1024 ** 3),
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAverageAtStart: loadavg().map((load) => Math.round(load * 100) / 100),
  };
}

function pairedRatio(rounds: LoadResult[], reference: LoadResult[]): number | null {
  if (rounds.length === 0 || reference.length === 0) {
    return null;
  }

  return median(rounds.map((round, index) => round.rps / reference[index].rps));
}

export function scenarioReports(
  scenarios: Scenario[],
  rounds: Map<ScenarioId, LoadResult[]>,
): ScenarioReport[] {
  const ceiling = rounds.get('ceiling') ?? [];

  return scenarios.map((scenario) => {
    const measured = rounds.get(scenario.id) ?? [];

    return {
      id: scenario.id,
      number: scenario.number,
      title: scenario.title,
      unit: scenario.kind === 'highs' ? 'solves/s' : 'req/s',
      unavailable: scenario.kind === 'unavailable' ? scenario.reason : undefined,
      rounds: measured,
      median:
        measured.length === 0
          ? null
          : {
              rps: median(measured.map((round) => round.rps)),
              p50: median(measured.map((round) => round.p50)),
              p95: median(measured.map((round) => round.p95)),
              p99: median(measured.map((round) => round.p99)),
              cpuUs: nullableMedian(measured.map((round) => round.cpuUsPerRequest)),
            },
      errors: measured.reduce((sum, round) => sum + round.errors, 0),
      ratioToCeiling: scenario.kind === 'http' ? pairedRatio(measured, ceiling) : null,
    };
  });
}

function nullableMedian(values: (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);

  return known.length === 0 ? null : median(known);
}

export function invokeToHighsRatio(rounds: Map<ScenarioId, LoadResult[]>): number | null {
  return pairedRatio(rounds.get('invoke') ?? [], rounds.get('highs') ?? []);
}

const percent = (ratio: number): string => `${(ratio * 100).toFixed(1)}%`;
const ms = (value: number): string => value.toFixed(2);
const count = (value: number): string => Math.round(value).toLocaleString('en-US');

function verdict(met: boolean | null): string {
  if (met === null) {
    return 'not measurable yet';
  }

  return met ? 'met' : 'MISSED';
}

export function evaluateTargets(
  scenarios: ScenarioReport[],
  invokeToHighs: number | null,
  fixedRate: BenchReport['fixedRate'],
  coldStart: ColdStartResult,
): TargetReport[] {
  const tools = scenarios.find((scenario) => scenario.id === 'tools');
  const toolsRatio = tools?.ratioToCeiling ?? null;
  const added = 'addedP99Ms' in fixedRate ? fixedRate.addedP99Ms : null;

  return [
    {
      goal: 'Scenario 3 >= 35% of the ceiling req/s',
      measured: toolsRatio === null ? 'n/a' : percent(toolsRatio),
      met: toolsRatio === null ? null : toolsRatio >= 0.35,
      note:
        toolsRatio === null
          ? (tools?.unavailable ?? 'not measured')
          : `${toolsRatio >= 0.35 ? 'over' : 'short'} by ${percent(Math.abs(toolsRatio - 0.35))} of the ceiling`,
    },
    {
      goal: 'Scenario 4 (JWT) >= 30% of the ceiling req/s',
      measured: 'n/a',
      met: null,
      note: 'JWT sessions not built yet',
    },
    {
      goal: 'Scenario 3 adds <= 1 ms p99 at 1,000 req/s',
      measured: added === null ? 'n/a' : `${ms(added)} ms`,
      met: added === null ? null : added <= 1,
      note:
        added === null
          ? (fixedRate as { unavailable: string }).unavailable
          : `${added <= 1 ? 'under' : 'over'} by ${ms(Math.abs(1 - added))} ms`,
    },
    {
      goal: "Scenario 5 >= 50% of HiGHS's own solves/s",
      measured: invokeToHighs === null ? 'n/a' : percent(invokeToHighs),
      met: invokeToHighs === null ? null : invokeToHighs >= 0.5,
      note:
        invokeToHighs === null
          ? (scenarios.find((scenario) => scenario.id === 'invoke')?.unavailable ?? 'not measured')
          : `${invokeToHighs >= 0.5 ? 'over' : 'short'} by ${percent(Math.abs(invokeToHighs - 0.5))} of HiGHS's rate`,
    },
    {
      goal: 'Server cold start within 250 ms of bare Node',
      measured: `+${ms(coldStart.addedMs)} ms`,
      met: coldStart.addedMs <= 250,
      note: `${coldStart.addedMs <= 250 ? 'under' : 'over'} by ${ms(Math.abs(250 - coldStart.addedMs))} ms`,
    },
    {
      goal: 'Bundled Lambda handler cold start within 250 ms of bare Node',
      measured: 'n/a',
      met: null,
      note: 'the Lambda handler does not exist yet',
    },
  ];
}

function scenarioRow(scenario: ScenarioReport, invokeToHighs: number | null): string {
  if (scenario.median === null) {
    return `| ${scenario.number} | ${scenario.title} | ${scenario.unavailable ?? 'n/a'} | | | | | | |`;
  }

  const { rps, p50, p95, p99, cpuUs } = scenario.median;
  let ratio = scenario.ratioToCeiling === null ? '' : percent(scenario.ratioToCeiling);
  if (scenario.id === 'highs') {
    ratio = 'reference for 5b';
  }
  if (scenario.id === 'invoke' && invokeToHighs !== null) {
    ratio += ` (${percent(invokeToHighs)} of 5a)`;
  }

  const cpu = cpuUs === null ? 'n/a' : cpuUs.toFixed(1);

  return `| ${scenario.number} | ${scenario.title} | ${count(rps)} ${scenario.unit} | ${ms(p50)} | ${ms(p95)} | ${ms(p99)} | ${count(scenario.errors)} | ${ratio} | ${cpu} |`;
}

export function toMarkdown(report: BenchReport): string {
  const { settings, machine, coldStart, fixedRate } = report;
  const lines = [
    `Run of ${report.date} (${Math.round(report.durationS)} s). Machine: ${machine.cpu}, ${machine.cores} cores, ` +
      `${machine.memoryGb} GB, Node ${machine.node}, ${machine.os}; load average at start ` +
      `${machine.loadAverageAtStart.join(' / ')}.`,
    '',
    `Throughput: ${settings.rounds} alternating rounds of ${settings.durationS} s after ${settings.warmupS} s ` +
      `of warm-up; ${settings.connections} connections (${settings.solveConnections} for 5b); medians. ` +
      'Latency in ms. Ratios are medians of per-round ratios. CPU: µs of CPU time the answering ' +
      'process (all its threads) spent per request, steadier than req/s on a shared machine.',
    '',
    '| # | Scenario | Rate | p50 | p95 | p99 | Errors | vs ceiling | CPU µs/req |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...report.scenarios.map((scenario) => scenarioRow(scenario, report.invokeToHighs)),
    '',
  ];

  if ('addedP99Ms' in fixedRate) {
    lines.push(
      `Fixed rate: ${count(fixedRate.rate)} req/s for ${settings.fixedRateDurationS} s, paced evenly ` +
        `(open loop: each request leaves when due, whatever the answers before it), alternating, ` +
        `${settings.rounds} rounds each.`,
      '',
      '| At fixed rate | p99 ms (median) | Errors |',
      '| --- | ---: | ---: |',
      `| 1: ceiling | ${ms(median(fixedRate.ceilingP99Ms))} | ${fixedRate.ceilingErrors} |`,
      `| 3: GET /v1/tools, API key | ${ms(median(fixedRate.toolsP99Ms))} | ${fixedRate.toolsErrors} |`,
      `| Added by scenario 3 (median of per-round differences) | ${ms(fixedRate.addedP99Ms)} | |`,
      '',
    );
  } else {
    lines.push(`Fixed rate: not measured (${fixedRate.unavailable}).`, '');
  }

  lines.push(
    `Cold start, spawn to first 200, median of ${settings.coldStarts}:`,
    '',
    '| Process | ms |',
    '| --- | ---: |',
    `| Bare Node http server | ${ms(coldStart.medianBareNodeMs)} |`,
    `| Server, the bundled main.js | ${ms(coldStart.medianServerMs)} (+${ms(coldStart.addedMs)}) |`,
    `| Bundled Lambda handler | ${coldStart.lambda} |`,
    '',
    `Access log lines written by the service during the run: ${count(report.accessLogLines)}.`,
    '',
    '| Target | Measured | Result |',
    '| --- | --- | --- |',
    ...report.targets.map(
      (target) =>
        `| ${target.goal} | ${target.measured} | ${verdict(target.met)}: ${target.note} |`,
    ),
  );

  return `${lines.join('\n')}\n`;
}
