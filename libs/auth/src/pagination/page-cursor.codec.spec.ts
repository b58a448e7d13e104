import { AppException } from '@app/common';
import { PageCursor } from './page-cursor.codec';

describe(PageCursor.name, () => {
  const shape = { id: 'string', tenantId: 'string', createdAt: 'number' } as const;

  it('should round-trip a key', () => {
    const key = { id: 'key_1', tenantId: 't1', createdAt: 5 };
    const cursor = PageCursor.encode(key) as string;

    expect(PageCursor.decode(cursor, shape, { tenantId: 't1' })).toEqual(key);
    expect(PageCursor.encode(undefined)).toBeNull();
  });

  it('should refuse garbage, wrong shapes, out-of-range values and foreign partitions with a 400', () => {
    const foreign = PageCursor.encode({ id: 'key_1', tenantId: 't2', createdAt: 5 }) as string;
    const wrongType = PageCursor.encode({ id: 'key_1', tenantId: 't1', createdAt: '5' });

    const empty = PageCursor.encode({ id: '', tenantId: 't1', createdAt: 5 }) as string;
    const negative = PageCursor.encode({ id: 'key_1', tenantId: 't1', createdAt: -1 }) as string;
    const huge = Buffer.from('{"id":"key_1","tenantId":"t1","createdAt":1e400}').toString(
      'base64url',
    );
    const cursors = ['%%%', 'bm90IGpzb24', foreign, wrongType as string, empty, negative, huge];

    for (const cursor of cursors) {
      expect(() => PageCursor.decode(cursor, shape, { tenantId: 't1' })).toThrow(AppException);
    }
  });
});
