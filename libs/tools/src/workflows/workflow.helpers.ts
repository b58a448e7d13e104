import { FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer';

/** Errors for names used twice in one list, pointing at the later occurrences. */
export function duplicateNameErrors(items: { name: string }[], list: string): FieldError[] {
  const seen = new Set<string>();
  const errors: FieldError[] = [];
  items.forEach((item, index) => {
    if (seen.has(item.name)) {
      errors.push({
        field: childPointer('', list, index, 'name'),
        message: 'duplicates another name',
      });
    }
    seen.add(item.name);
  });

  return errors;
}

/** Rounds for business reading: solver noise removed, 6 decimals kept. */
export function businessNumber(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}

export function formatNumber(value: number): string {
  return businessNumber(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export const namedItemSchema = { type: 'string', minLength: 1, maxLength: 100 } as const;

export const nonNegative = { type: 'number', minimum: 0 } as const;
