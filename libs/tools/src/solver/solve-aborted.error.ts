/** Raised when a solve is stopped because its invocation's deadline passed. */
export class SolveAbortedError extends Error {
  constructor(readonly reason: unknown) {
    super('Solve aborted');
    this.name = 'SolveAbortedError';
  }
}
