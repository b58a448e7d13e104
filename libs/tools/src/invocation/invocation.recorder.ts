import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { InvocationRecord } from './invocation.record';
import { InvocationRepository } from './invocation.repository';

/**
 * Writes invocation records off the response path: the response does not wait for the write,
 * and every write still in flight is awaited at shutdown (after the HTTP server has drained),
 * so records are not lost when the process stops normally. A failed write is logged with the
 * full record, which keeps it recoverable from the logs.
 */
@Injectable()
export class InvocationRecorder implements OnApplicationShutdown {
  private readonly logger = new Logger(InvocationRecorder.name);
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly repository: InvocationRepository) {}

  record(record: InvocationRecord): void {
    const write = this.repository
      .put(record)
      .catch((error: unknown) => {
        this.logger.error({ record, err: error }, 'Invocation record not written');
      })
      .finally(() => {
        this.pending.delete(write);
      });
    this.pending.add(write);
  }

  /** Resolves once every write started so far has finished. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) {
      await Promise.all([...this.pending]);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await this.flush();
  }
}
