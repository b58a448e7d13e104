import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { Piscina } from 'piscina';
import { AppException } from '@app/common';
import { AppConfigService } from '@app/config';
import { SolveAbortedError } from './solve-aborted.error';
import { SolverTask, SolverTaskResult } from './solver-task.types';

const RETRY_AFTER_SECONDS = '5';

/**
 * Worker-thread pool running HiGHS, so a long solve never blocks the event loop. Aborting a
 * task that already runs terminates its worker for real (piscina replaces it), which is the only
 * way to stop a synchronous WASM solve.
 *
 * Admission is bounded here rather than by piscina's maxQueue: piscina keeps tasks that carry an
 * abort signal (all of ours) in a separate queue that maxQueue never limits, so without this
 * count a burst would wait unbounded instead of being told to retry.
 */
@Injectable()
export class SolverPool implements OnApplicationShutdown {
  private readonly logger = new Logger(SolverPool.name);
  private readonly pool: Piscina<SolverTask, SolverTaskResult>;
  /** Solves running or waiting; one thread each plus a queue of maxThreads squared. */
  readonly capacity: number;
  private admitted = 0;

  constructor(config: AppConfigService) {
    const filename = SolverPool.workerPath();
    this.pool = new Piscina<SolverTask, SolverTaskResult>({
      filename,
      name: 'default',
      minThreads: config.get('toolsMinThreads'),
      maxThreads: config.get('toolsMaxThreads'),
      idleTimeout: 60_000,
    });
    this.capacity = this.pool.maxThreads + this.pool.maxThreads ** 2;
    this.logger.log(
      {
        minThreads: this.pool.minThreads,
        maxThreads: this.pool.maxThreads,
        capacity: this.capacity,
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

  /** Ids of the live worker threads, to observe that a stopped solve's thread is replaced. */
  threadIds(): number[] {
    return this.pool.threads.map((thread) => thread.threadId);
  }

  async run(task: SolverTask, signal: AbortSignal): Promise<SolverTaskResult> {
    if (this.admitted >= this.capacity) {
      this.logger.warn({ capacity: this.capacity }, 'Solver queue full; solve refused');
      throw new AppException('service_unavailable', 'The solver queue is full, retry shortly', {
        headers: { 'Retry-After': RETRY_AFTER_SECONDS },
      });
    }

    this.admitted++;
    try {
      return await this.pool.run(task, { signal });
    } catch (error) {
      if (signal.aborted) {
        throw new SolveAbortedError(signal.reason);
      }

      throw error;
    } finally {
      this.admitted--;
    }
  }

  /** Runs after the HTTP server has drained, so no request still waits on a worker. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.destroy();
  }
}
