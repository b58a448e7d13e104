import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InvocationRecord } from './invocation.record';
import { InvocationRepository } from './invocation.repository';

/** BatchWriteItem's own limit. */
const BATCH_SIZE = 25;
/** A partial batch waits at most this long, so records show up quickly at low traffic. */
const FLUSH_INTERVAL_MS = 150;
/** Tries per batch (the SDK's own retries come on top), with exponential backoff between. */
const MAX_ATTEMPTS = 6;
const BASE_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2000;
/** Batch writes in flight at once; more would only queue inside the SDK's connection pool. */
const MAX_IN_FLIGHT = 4;
/** Records waiting beyond this (the database is down) are logged as lost rather than kept. */
const MAX_BUFFERED = 10_000;

/**
 * Writes invocation records off the response path and in batches: `record` only appends to a
 * buffer, which goes out as BatchWriteItem calls of 25, or after a short interval when fewer
 * wait. Unprocessed items are retried with backoff; a batch that still fails is logged record by
 * record (records never hold inputs or outputs), which keeps it recoverable from the logs.
 * Everything buffered or in flight is written at shutdown, after the HTTP server has drained.
 */
@Injectable()
export class InvocationRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger(InvocationRecorder.name);
  private buffer: InvocationRecord[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly repository: InvocationRepository) {}

  record(record: InvocationRecord): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      this.lost([record], 'buffer_full');

      return;
    }

    this.buffer.push(record);
    this.schedule();
  }

  /** Resolves once every record received so far has been written or logged as lost. */
  async flush(): Promise<void> {
    while (this.buffer.length > 0 || this.inFlight.size > 0) {
      this.drain(true);
      await Promise.all([...this.inFlight]);
    }
    this.cancelTimer();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }

  /** Full batches go now; a partial one waits for the timer, so batches stay large under load. */
  private schedule(): void {
    this.drain(false);
    if (this.buffer.length > 0 && this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.drain(true);
        // Left over when MAX_IN_FLIGHT writes were busy; a finishing write schedules again too.
        this.schedule();
      }, FLUSH_INTERVAL_MS);
      // Never keeps the process alive: shutdown flushes explicitly.
      this.timer.unref();
    }
  }

  private drain(partial: boolean): void {
    while (
      this.inFlight.size < MAX_IN_FLIGHT &&
      (this.buffer.length >= BATCH_SIZE || (partial && this.buffer.length > 0))
    ) {
      const batch = this.buffer.slice(0, BATCH_SIZE);
      this.buffer = this.buffer.slice(BATCH_SIZE);
      const write: Promise<void> = this.write(batch).finally(() => {
        this.inFlight.delete(write);
        this.schedule();
      });
      this.inFlight.add(write);
    }
    if (this.buffer.length === 0) {
      this.cancelTimer();
    }
  }

  private async write(batch: InvocationRecord[]): Promise<void> {
    let pending = batch;
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      try {
        pending = await this.repository.putBatch(pending);
        lastError = undefined;
      } catch (error) {
        lastError = error;
      }
      if (pending.length === 0) {
        return;
      }
      if (attempt < MAX_ATTEMPTS) {
        await sleep(this.backoff(attempt));
      }
    }

    this.lost(pending, lastError === undefined ? 'unprocessed' : 'write_failed', lastError);
  }

  /** Full jitter, so instances throttled together do not retry together. */
  private backoff(attempt: number): number {
    const ceiling = Math.min(MAX_BACKOFF_MS, BASE_BACKOFF_MS * 2 ** (attempt - 1));

    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private lost(records: InvocationRecord[], reason: string, error?: unknown): void {
    this.logger.error(
      { reason, count: records.length, records, err: error },
      'Invocation records not written',
    );
  }

  private cancelTimer(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }
}
