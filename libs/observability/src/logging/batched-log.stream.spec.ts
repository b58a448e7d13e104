import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { BatchedLogStream, LogTarget } from './batched-log.stream';

/** A target that keeps what it is handed, one entry per write. */
function recordingTarget(): LogTarget & { writes: string[] } {
  const writes: string[] = [];

  return {
    writes,
    write: (data: string) => writes.push(data),
    flushSync: () => undefined,
    fd: openSync('/dev/null', 'w'),
  };
}

describe(BatchedLogStream.name, () => {
  const streams: BatchedLogStream[] = [];
  const open = (target: LogTarget, batchChars: number, flushMs: number) => {
    const stream = new BatchedLogStream(() => target, batchChars, flushMs);
    streams.push(stream);

    return stream;
  };

  afterEach(() => {
    streams.splice(0).forEach((stream) => stream.close());
  });

  it('should hold lines until a batch fills, then hand them over in one write', () => {
    const target = recordingTarget();
    const stream = open(target, 10, 60_000);

    stream.write('abcd\n');
    stream.write('efgh\n');

    expect(target.writes).toEqual(['abcd\nefgh\n']);

    stream.write('ij\n');

    expect(target.writes).toEqual(['abcd\nefgh\n']);
  });

  it('should write waiting lines after flushMs without more lines coming', async () => {
    const target = recordingTarget();
    const stream = open(target, 4096, 20);

    stream.write('alone\n');
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(target.writes).toEqual(['alone\n']);
  });

  it('should write every waiting line to the file before flushSync returns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'batched-log-'));
    const file = join(dir, 'out.log');
    // Open already, as standard output is: a destination still opening has nowhere to write yet.
    const fd = openSync(file, 'a');
    try {
      const destination = pino.destination({ dest: fd, sync: false });
      const target = {
        write: (data: string) => destination.write(data),
        flushSync: () => destination.flushSync(),
        fd,
      };
      const stream = open(target, 4096, 60_000);
      const logger = pino({}, stream);

      logger.info({ requestId: 'req-1' }, 'first');
      logger.info({ requestId: 'req-2' }, 'second');
      stream.flushSync();
      const lines = readFileSync(file, 'utf8').trim().split('\n');

      expect(lines.map((line) => (JSON.parse(line) as { msg: string }).msg)).toEqual([
        'first',
        'second',
      ]);
    } finally {
      closeSync(fd);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('should drop waiting lines quietly when the destination is already closed', () => {
    const target: LogTarget = {
      write: () => {
        throw new Error('SonicBoom destroyed');
      },
      flushSync: () => undefined,
      fd: -1,
    };
    const stream = open(target, 4096, 60_000);

    stream.write('late\n');

    expect(() => stream.flushSync()).not.toThrow();
  });
});
