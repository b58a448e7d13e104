import autocannon from 'autocannon';
import { LatencySummary, summarize } from './stats';

export interface LoadRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  connections: number;
  durationS: number;
  /** Requests per second across all connections; unset means as fast as the server answers. */
  overallRate?: number;
}

export interface LoadResult extends LatencySummary {
  rps: number;
  /** 2xx responses; only these count towards req/s and latency. */
  ok: number;
  /** Non-2xx answers, connection errors and timeouts. */
  errors: number;
  statusCodes: Record<string, number>;
  /** CPU time the answering process spent per request (all its threads); null if unknown. */
  cpuUsPerRequest: number | null;
}

/**
 * One autocannon run. Latency is taken from every response's own hrtime duration rather than
 * autocannon's histogram, which rounds to whole milliseconds: too coarse for a 1 ms budget.
 */
export function runLoad(request: LoadRequest, options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const started = performance.now();

  return new Promise((resolveRun, rejectRun) => {
    const instance = autocannon(
      {
        url: request.url,
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body,
        connections: options.connections,
        duration: options.durationS,
        overallRate: options.overallRate,
        timeout: 10,
      },
      (error, result) => {
        if (error) {
          rejectRun(error);

          return;
        }

        const elapsedS = (performance.now() - started) / 1000;
        const statusCodes = Object.fromEntries(
          Object.entries(result.statusCodeStats).map(([code, stats]) => [code, stats.count]),
        );
        resolveRun({
          rps: latencies.length / elapsedS,
          ok: latencies.length,
          errors: result.non2xx + result.errors + result.timeouts,
          statusCodes,
          cpuUsPerRequest: null,
          ...summarize(latencies),
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, latencyMs) => {
      if (statusCode >= 200 && statusCode < 300) {
        latencies.push(latencyMs);
      }
    });
  });
}
