import { AppException } from '@app/common';

/** Ids and partition values we issue are far shorter, and well inside DynamoDB key limits. */
const MAX_STRING_LENGTH = 256;

export type CursorKey = Record<string, string | number>;

/** One page of a listing, as every list route answers it. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * Opaque cursors: base64url of the LastEvaluatedKey. Decoding checks the exact attribute names,
 * types and ranges, so a forged or foreign cursor is a 400, never a database error or another
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
      if (!PageCursor.fits(record[name], shape[name])) {
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

  /**
   * Key attributes DynamoDB would refuse (an empty string, a number it cannot store) must be a
   * 400 here, not a ValidationException and a 500 from the database.
   */
  private static fits(value: unknown, type: 'string' | 'number'): boolean {
    if (type === 'string') {
      return typeof value === 'string' && value.length > 0 && value.length <= MAX_STRING_LENGTH;
    }

    return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
  }

  private static invalid(): AppException {
    return new AppException('validation_failed', 'The cursor is not valid for this listing', {
      errors: [{ field: 'cursor', message: 'cursor is malformed or belongs to another listing' }],
    });
  }
}
