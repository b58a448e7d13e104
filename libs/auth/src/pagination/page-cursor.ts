import { AppException } from '@app/common';

export type CursorKey = Record<string, string | number>;

/** One page of a listing, as every list route answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Opaque cursors: base64url of the LastEvaluatedKey. Decoding checks the exact attribute names
 * and types, so a forged or foreign cursor is a 400, never a database error or another
 * partition's data.
 */
export class PageCursor {
  static encode(key: CursorKey | undefined): string | null {
    if (key === undefined || Object.keys(key).length === 0) {
      return null;
    }

    return Buffer.from(JSON.stringify(key), 'utf8').toString('base64url');
  }

  static decode(
    cursor: string | undefined,
    shape: Record<string, 'string' | 'number'>,
    fixed: Record<string, string> = {},
  ): CursorKey | undefined {
    if (cursor === undefined || cursor === '') {
      return undefined;
    }

    let parsed: unknown;
    try {
      parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    } catch {
      throw PageCursor.invalid();
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw PageCursor.invalid();
    }

    const record = parsed as Record<string, unknown>;
    const names = Object.keys(shape);
    if (Object.keys(record).length !== names.length) {
      throw PageCursor.invalid();
    }
    for (const name of names) {
      if (typeof record[name] !== shape[name]) {
        throw PageCursor.invalid();
      }
    }
    for (const [name, value] of Object.entries(fixed)) {
      if (record[name] !== value) {
        throw PageCursor.invalid();
      }
    }

    return record as CursorKey;
  }

  private static invalid(): AppException {
    return new AppException('validation_failed', 'The cursor is not valid for this listing', {
      errors: [{ field: 'cursor', message: 'cursor is malformed or belongs to another listing' }],
    });
  }
}
