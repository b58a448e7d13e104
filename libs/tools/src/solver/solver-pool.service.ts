import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  Optional,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Piscina } from 'piscina';
import { afterListening, AppException } from '@app/common';
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
 *
 * The threads start once the HTTP server listens (or at the first solve, whichever comes first):
 * each one compiles HiGHS' WASM module, which on a small machine competes with the boot for CPU
 * and used to delay the first answer of every fresh instance. piscina itself loads then too, off
 * the cold start (it is not bundled, so it is read and compiled at run time: about 20 ms).
 */
@Injectable()
export class SolverPool implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SolverPool.name);
  private pool: Piscina<SolverTask, SolverTaskResult> | undefined;
  private starting: Promise<Piscina<SolverTask, SolverTaskResult>> | undefined;
  private readonly filename = SolverPool.workerPath();
  private readonly minThreads: number;
  /** Threads solving at once; the tenant limiter keeps one of them free of any single tenant. */
  readonly maxThreads: number;
  /** Solves running or waiting; one thread each plus a queue of maxThreads squared. */
  readonly capacity: number;
  private admitted = 0;
  private closed = false;

  constructor(
    config: AppConfigService,
    @Optional() private readonly adapterHost?: HttpAdapterHost,
  ) {
    this.minThreads = config.get('toolsMinThreads');
    this.maxThreads = config.get('toolsMaxThreads');
    this.capacity = this.maxThreads + this.maxThreads ** 2;
  }

  /** Warms the threads right after listening, so the first solve does not pay their start. */
  onApplicationBootstrap(): void {
    afterListening(this.adapterHost, () => {
      // An instance stopped right after it started has nothing left to warm.
      if (!this.closed) {
        // A failure to start is reported to the first solve, which tries again.
        this.threads().catch(() => undefined);
      }
    });
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
    return (this.pool?.threads ?? []).map((thread) => thread.threadId);
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
      const pool = await this.threads();

      return await pool.run(task, { signal });
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
    this.closed = true;
    // A pool still starting is waited for, or its threads would outlive the instance.
    const pool = await this.starting?.catch(() => undefined);
    await pool?.destroy();
  }

  /** The piscina pool, created on first use; minThreads threads start loading HiGHS at once. */
  private threads(): Promise<Piscina<SolverTask, SolverTaskResult>> {
    if (this.closed) {
      return Promise.reject(
        new AppException('service_unavailable', 'The service is shutting down, retry shortly', {
          headers: { 'Retry-After': RETRY_AFTER_SECONDS },
        }),
      );
    }

    this.starting ??= this.start().catch((error: unknown) => {
      this.starting = undefined;
      throw error;
    });

    return this.starting;
  }

  private async start(): Promise<Piscina<SolverTask, SolverTaskResult>> {
    const { Piscina: Pool } = await import('piscina');
    const pool = new Pool<SolverTask, SolverTaskResult>({
      filename: this.filename,
      name: 'default',
      minThreads: this.minThreads,
      maxThreads: this.maxThreads,
      idleTimeout: 60_000,
    });
    this.pool = pool;
    this.logger.log(
      { minThreads: this.minThreads, maxThreads: this.maxThreads, capacity: this.capacity },
      'Solver pool started',
    );

    return pool;
  }
}
