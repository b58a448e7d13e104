import { Agent, request as httpRequest } from 'node:http';
import { LoadRequest, LoadResult } from './load';
import { summarize } from './stats';

export interface PacedLoadOptions {
  /** Requests per second, sent evenly spread over each second. */
  rate: number;
  durationS: number;
  /** Keep-alive connections available; enough that a request never waits for one. */
  sockets: number;
}

/** How often the pacer wakes; requests due since its last wake leave together. */
const TICK_MS = 1;

/**
 * Sends requests at a steady rate, each when it is due, whatever the answers before it: an
 * open-loop load, as wrk2 makes. autocannon's rate option is a per-second quota instead: each
 * connection sends its share back to back at the start of every second and then waits, so its
 * "1,000 req/s" is ten connections saturating the server for a few milliseconds a second, and
 * its p99 is a burst's. Latency runs from the moment a request is written to its last byte.
 */
export function runPacedLoad(request: LoadRequest, options: PacedLoadOptions): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.sockets });
  const target = new URL(request.url);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let sent = 0;
  let pending = 0;
  const total = Math.round(options.rate * options.durationS);

  return new Promise((resolveRun) => {
    const started = performance.now();
    let finished = false;
    const finish = () => {
      if (finished || sent < total || pending > 0) {
        return;
      }

      finished = true;
      agent.destroy();
      const elapsedS = (performance.now() - started) / 1000;
      resolveRun({
        rps: latencies.length / elapsedS,
        ok: latencies.length,
        errors,
        statusCodes,
        cpuUsPerRequest: null,
        ...summarize(latencies),
      });
    };

    const sendOne = () => {
      sent++;
      pending++;
      const sentAt = performance.now();
      const outgoing = httpRequest(
        {
          agent,
          host: target.hostname,
          port: target.port,
          path: `${target.pathname}${target.search}`,
          method: request.method ?? 'GET',
          headers: request.headers,
        },
        (response) => {
          const code = String(response.statusCode ?? 0);
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          response.resume();
          response.once('end', () => {
            const status = response.statusCode ?? 0;
            if (status >= 200 && status < 300) {
              latencies.push(performance.now() - sentAt);
            } else {
              errors++;
            }
            pending--;
            finish();
          });
        },
      );
      outgoing.once('error', () => {
        errors++;
        pending--;
        finish();
      });
      outgoing.end(request.body);
    };

    const timer = setInterval(() => {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - started) / 1000) * options.rate),
      );
      while (sent < due) {
        sendOne();
      }
      if (sent >= total) {
        clearInterval(timer);
        finish();
      }
    }, TICK_MS);
  });
}
