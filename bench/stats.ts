/** Latency summary in milliseconds, from samples recorded at microsecond resolution. */
export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentile of samples that are already sorted ascending. */
export function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) {
    return NaN;
  }

  const rank = Math.ceil(fraction * sorted.length) - 1;

  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export function summarize(samples: number[]): LatencySummary {
  const sorted = Float64Array.from(samples).sort();

  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
  };
}

/** The middle value; rounds are few and noisy, so medians rather than means are reported. */
export function median(values: number[]): number {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) {
    return NaN;
  }

  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
