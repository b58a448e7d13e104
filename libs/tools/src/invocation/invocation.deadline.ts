import { SolveAbortedError } from '../solver/solve-aborted.error';

const EXPIRED = Symbol('deadline');
/**
 * Reason for the abort that follows every decided invocation; without one, abort() builds a
 * DOMException with a stack trace on every request.
 */
const SETTLED = Symbol('settled');

/**
 * One invocation's time limit. Its signal aborts when the time is up, which terminates any
 * worker running one of its solves; `race` makes the answer leave on time even if the awaited
 * work is something else. `settle` once the answer is decided, whatever it was.
 */
export class InvocationDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly expired: Promise<never>;

  constructor(timeoutMs: number) {
    let expire: (error: SolveAbortedError) => void = () => undefined;
    this.expired = new Promise<never>((_, reject) => {
      expire = reject;
    });
    // Handled here too, so expiring while nothing races it is no unhandled rejection.
    this.expired.catch(() => undefined);
    this.timer = setTimeout(() => {
      this.controller.abort(EXPIRED);
      expire(new SolveAbortedError(EXPIRED));
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.expired]);
  }

  /** Stops any solve still queued or running. */
  settle(): void {
    clearTimeout(this.timer);
    this.controller.abort(SETTLED);
  }
}
