import { writeSync } from 'node:fs';
import { DestinationStream } from 'pino';

/** What the batches are handed to: pino's SonicBoom destination, or any stream like it. */
export interface LogTarget {
  /** Writes asynchronously. */
  write(data: string): unknown;
  /** Writes what the target still holds before returning. */
  flushSync(): void;
  /** The file descriptor written to, for the last lines on the way out. */
  readonly fd: number;
}

/** A full pipe (EAGAIN) is retried this many times, a short sleep apart, on the way out. */
const EXIT_WRITE_ATTEMPTS = 100;
const EXIT_WRITE_RETRY_MS = 10;

/**
 * Collects log lines and hands them to the target a few kilobytes at a time, and at least every
 * `flushMs`. Each write to standard output is a system call and two thread wake-ups (libuv's
 * pool, then the event loop), which at a steady 1,000 requests per second cost more than
 * formatting the lines. SonicBoom's own `minLength` buffering appends each line to one growing
 * string and measures its byte length on every write, which costs more than it saves; lines here
 * are kept in a list and joined once.
 *
 * Lines still waiting when the process exits (a crash included) are written synchronously. The
 * target is opened after this stream's exit hooks are registered, so they run before the
 * target's own (pino ends its destination on `beforeExit` and flushes it on `exit`).
 */
export class BatchedLogStream implements DestinationStream {
  private lines: string[] = [];
  /** Characters waiting; a threshold only, so characters stand in for bytes. */
  private waiting = 0;
  private readonly timer: NodeJS.Timeout;
  private readonly target: LogTarget;
  private readonly onBeforeExit = () => this.settle(() => this.flush());
  private readonly onExit = () => this.flushSync();

  constructor(
    open: () => LogTarget,
    private readonly batchChars: number,
    flushMs: number,
  ) {
    process.on('beforeExit', this.onBeforeExit);
    process.once('exit', this.onExit);
    this.target = open();
    this.timer = setInterval(() => this.settle(() => this.flush()), flushMs);
    // Waiting lines never keep a process alive: the exit hooks write them.
    this.timer.unref();
  }

  write(line: string): void {
    this.lines.push(line);
    this.waiting += line.length;
    if (this.waiting >= this.batchChars) {
      this.flush();
    }
  }

  /** Hands every waiting line to the target, which writes them asynchronously. */
  flush(): void {
    const batch = this.take();
    if (batch !== undefined) {
      this.target.write(batch);
    }
  }

  /**
   * Writes every waiting line before returning, for the exit path: first what the target still
   * holds (older lines), then the lines waiting here, written directly, since a write the target
   * starts now would only finish on a thread the exiting process no longer waits for.
   */
  flushSync(): void {
    const batch = this.take();
    this.settle(() => {
      this.target.flushSync();
      if (batch !== undefined) {
        writeAllSync(this.target.fd, Buffer.from(batch));
      }
    });
  }

  /** Stops the timer and the exit hook, after writing what waits. */
  close(): void {
    clearInterval(this.timer);
    process.removeListener('beforeExit', this.onBeforeExit);
    process.removeListener('exit', this.onExit);
    this.flushSync();
  }

  private take(): string | undefined {
    if (this.lines.length === 0) {
      return undefined;
    }

    const batch = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.waiting = 0;

    return batch;
  }

  /** On the way out, a destination already closed has nowhere left to write: nothing to do. */
  private settle(write: () => void): void {
    try {
      write();
    } catch {
      // The lines are dropped; there is no logger left to say so.
    }
  }
}

/** Writes all of `data`, retrying partial writes and a full pipe for a bounded time. */
function writeAllSync(fd: number, data: Buffer): void {
  let rest = data;
  for (let attempt = 0; rest.length > 0;) {
    try {
      rest = rest.subarray(writeSync(fd, rest));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || ++attempt >= EXIT_WRITE_ATTEMPTS) {
        throw error;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, EXIT_WRITE_RETRY_MS);
    }
  }
}
