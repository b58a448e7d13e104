import { Logger } from '@nestjs/common';
import { InvocationRecord } from './invocation.record';
import { InvocationRecorder } from './invocation.recorder';
import { InvocationRepository } from './invocation.repository';

function record(index: number): InvocationRecord {
  return {
    tenantId: 'ten_1',
    id: `inv_${String(index).padStart(26, '0')}`,
    keyId: 'key_1',
    tool: 'solve_optimization',
    toolVersion: '1.0.0',
    channel: 'rest',
    status: 'succeeded',
    outcome: 'optimal',
    durationMs: 1.5,
    cost: 1,
    createdAt: 1_700_000_000_000 + index,
  };
}

/** A repository double that keeps every batch it was given and answers with `answer`. */
function fakeRepository(
  answer: (batch: readonly InvocationRecord[]) => Promise<InvocationRecord[]> = () =>
    Promise.resolve([]),
) {
  const batches: InvocationRecord[][] = [];
  const repository = {
    putBatch: jest.fn(async (batch: readonly InvocationRecord[]) => {
      batches.push([...batch]);

      return answer(batch);
    }),
  };

  return { batches, repository: repository as unknown as InvocationRepository };
}

describe(InvocationRecorder.name, () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('should write full batches of 25 at once and never twice', async () => {
    const { batches, repository } = fakeRepository();
    const recorder = new InvocationRecorder(repository);

    for (let index = 0; index < 60; index++) {
      recorder.record(record(index));
    }
    // Two full batches leave at once; the last 10 wait for the timer or a flush.
    expect(batches.map((batch) => batch.length)).toEqual([25, 25]);
    await recorder.flush();

    expect(batches.map((batch) => batch.length)).toEqual([25, 25, 10]);
    expect(new Set(batches.flat().map((written) => written.id)).size).toBe(60);
  });

  it('should write a partial batch after a short interval without a flush', async () => {
    const { batches, repository } = fakeRepository();
    const recorder = new InvocationRecorder(repository);

    recorder.record(record(1));
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(batches).toEqual([[record(1)]]);
    await recorder.flush();
  });

  it('should retry unprocessed items until they are written', async () => {
    let calls = 0;
    const { batches, repository } = fakeRepository((batch) => {
      calls++;

      return Promise.resolve(calls === 1 ? batch.slice(0, 2) : []);
    });
    const recorder = new InvocationRecorder(repository);

    for (let index = 0; index < 5; index++) {
      recorder.record(record(index));
    }
    await recorder.flush();

    expect(batches.map((batch) => batch.length)).toEqual([5, 2]);
    expect(batches[1]).toEqual([record(0), record(1)]);
  });

  it('should log the records it could not write, without failing', async () => {
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const { repository } = fakeRepository(() => Promise.reject(new Error('database down')));
    const recorder = new InvocationRecorder(repository);

    recorder.record(record(7));
    await recorder.flush();

    expect(repository.putBatch).toHaveBeenCalledTimes(6);
    expect(error).toHaveBeenCalledWith(
      expect.objectContaining({ reason: 'write_failed', count: 1, records: [record(7)] }),
      'Invocation records not written',
    );
  });

  it('should write everything still buffered at shutdown', async () => {
    const { batches, repository } = fakeRepository();
    const recorder = new InvocationRecorder(repository);

    recorder.record(record(1));
    recorder.record(record(2));
    await recorder.onApplicationShutdown();

    expect(batches.flat()).toEqual([record(1), record(2)]);
  });
});
