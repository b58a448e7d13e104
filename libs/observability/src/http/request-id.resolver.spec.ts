import { IncomingMessage } from 'node:http';
import { resolveRequestId } from './request-id.resolver';

function requestWith(id?: string | string[]): IncomingMessage {
  return { headers: id === undefined ? {} : { 'x-request-id': id } } as IncomingMessage;
}

describe(resolveRequestId.name, () => {
  it('should keep a sane incoming request id', () => {
    expect(resolveRequestId(requestWith('trace-1234:abcd'))).toBe('trace-1234:abcd');
  });

  it('should replace ids that could forge log lines or are oversized', () => {
    for (const bad of ['x"\n{"level":"fatal"}', 'a'.repeat(200), 'short', 'with space 123']) {
      const id = resolveRequestId(requestWith(bad));

      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('should generate distinct ids when none is sent', () => {
    expect(resolveRequestId(requestWith())).not.toBe(resolveRequestId(requestWith()));
  });

  it('should ignore repeated headers', () => {
    expect(resolveRequestId(requestWith(['trace-1234', 'trace-5678']))).toMatch(/^[0-9a-f-]{36}$/);
  });
});
