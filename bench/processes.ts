import { ChildProcess, spawn, StdioOptions } from 'node:child_process';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';

/** Every child still running, so that a failed run never leaves servers behind. */
const running = new Set<ChildProcess>();

export interface NodeProcessOptions {
  args?: string[];
  env?: Record<string, string>;
  stdio?: StdioOptions;
  nodeOptions?: string[];
}

/** A Node child on this Node binary, with only the variables it needs added to ours. */
export function spawnNode(script: string, options: NodeProcessOptions = {}): ChildProcess {
  const child = spawn(
    process.execPath,
    [...(options.nodeOptions ?? []), script, ...(options.args ?? [])],
    {
      env: { ...process.env, ...options.env },
      stdio: options.stdio ?? ['ignore', 'pipe', 'inherit'],
    },
  );
  running.add(child);
  child.once('exit', () => running.delete(child));

  return child;
}

/** The first stdout line of a child, parsed as JSON: how the helper scripts report. */
export function firstJsonLine<T>(child: ChildProcess, timeoutMs: number): Promise<T> {
  if (child.stdout === null) {
    return Promise.reject(new Error('child has no stdout pipe'));
  }

  const lines = createInterface({ input: child.stdout });

  return new Promise<T>((resolveLine, rejectLine) => {
    const timer = setTimeout(() => {
      lines.close();
      rejectLine(new Error(`no report from child ${child.pid} within ${timeoutMs} ms`));
    }, timeoutMs);
    // The end of its output, not its exit, proves the child had nothing to say: the exit event
    // may come before the last line has been read.
    lines.once('close', () => {
      clearTimeout(timer);
      rejectLine(new Error(`child ${child.pid} ended its output without reporting`));
    });
    lines.once('line', (line) => {
      clearTimeout(timer);
      // Settled before closing: closing emits 'close', whose rejection must then be a no-op.
      try {
        resolveLine(JSON.parse(line) as T);
      } catch (error) {
        rejectLine(error instanceof Error ? error : new Error(String(error)));
      }
      lines.close();
    });
  });
}

/** Asks the kernel for a loopback port nobody is using. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

export interface HttpAnswer {
  status: number;
  body: string;
}

/** One request on a fresh connection, so a probe never reuses a socket of an earlier process. */
export function httpRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpAnswer> {
  return new Promise((resolveAnswer, rejectAnswer) => {
    const outgoing = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers, agent: false, timeout: 5000 },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolveAnswer({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', rejectAnswer);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`timeout on ${url}`)));
    outgoing.on('error', rejectAnswer);
    outgoing.end(options.body);
  });
}

/**
 * Polls until the URL answers 200, every pollMs. Connection refusals are expected while the
 * process boots; the child exiting or the deadline passing ends the wait with an error.
 */
export async function waitFor200(
  url: string,
  child: ChildProcess,
  timeoutMs: number,
  pollMs = 2,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `process ${child.pid} exited (${child.exitCode ?? child.signalCode}) before ${url} answered`,
      );
    }
    try {
      const answer = await httpRequest(url);
      if (answer.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    if (performance.now() > deadline) {
      throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, pollMs));
  }
}

/** SIGTERM, then SIGKILL if the child has not exited within the grace period. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }

  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...running].map((child) => stopChild(child)));
}
