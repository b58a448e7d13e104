import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { SolveAbortedError } from './solve-aborted.error';
import { SolverTask, SolverTaskResult } from './solver-task.types';

/**
 * Worker-thread pool running HiGHS, so a long solve never blocks the event loop. Aborting a
 * task that already runs terminates its worker for real (piscina replaces it), which is the only
 * way to stop a synchronous WASM solve.
 */
@Injectable()
export class SolverPool implements OnApplicationShutdown {
  private readonly logger = new Logger(SolverPool.name);
  private readonly pool: Piscina<SolverTask, SolverTaskResult>;

  constructor(config: AppConfigService) {
    const filename = SolverPool.workerPath();
    this.pool = new Piscina<SolverTask, SolverTaskResult>({
      filename,
      name: 'default',
      minThreads: config.get('toolsMinThreads'),
      maxThreads: config.get('toolsMaxThreads'),
      idleTimeout: 60_000,
      maxQueue: 'auto',
    });
    this.logger.log(
      {
        minThreads: this.pool.minThreads,
        maxThreads: this.pool.maxThreads,
      },
      'Solver pool started',
    );
  }

  /** The worker sits beside this file both in the sources and in dist (copied as an asset). */
  static workerPath(): string {
    const filename = join(__dirname, 'highs.worker.js');
    if (!existsSync(filename)) {
      throw new Error(
        `Solver worker not found at ${filename}: the build must copy libs/tools/src/solver/highs.worker.js`,
      );
    }

    return filename;
  }

  get stats(): { threads: number; queueSize: number; completed: number } {
    return {
      threads: this.pool.threads.length,
      queueSize: this.pool.queueSize,
      completed: this.pool.completed,
    };
  }

  /** Ids of the live worker threads, to observe that a stopped solve's thread is replaced. */
  threadIds(): number[] {
    return this.pool.threads.map((thread) => thread.threadId);
  }

  async run(task: SolverTask, signal: AbortSignal): Promise<SolverTaskResult> {
    try {
      return await this.pool.run(task, { signal });
    } catch (error) {
      if (signal.aborted) {
        throw new SolveAbortedError(signal.reason);
      }
      if (error instanceof Error && /queue is at limit/i.test(error.message)) {
        throw new AppException('service_unavailable', 'The solver queue is full, retry shortly', {
          headers: { 'Retry-After': '5' },
        });
      }

      throw error;
    }
  }

  /** Runs after the HTTP server has drained, so no request still waits on a worker. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
