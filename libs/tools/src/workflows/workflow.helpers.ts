import { FieldError } from '@app/common';
import { childPointer } from '../optimization/json-pointer.util';
import { nameMap } from '../optimization/name-map.util';
import { SolveResult } from '../optimization/optimization-model.types';
import { JsonSchema } from '../schemas/json-schema.types';
import { SOLVER_NUMBER_LIMIT, solverNumber } from '../schemas/model.schema';

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

export function namesOf(items: { name: string }[]): Set<string> {
  return new Set(items.map((item) => item.name));
}

/** Rounds for business reading: solver noise removed, 6 decimals kept. */
export function businessNumber(value: number): number {
  return Math.round(value * 1e6) / 1e6 + 0;
}

export function formatNumber(value: number): string {
  return businessNumber(value).toLocaleString('en-US', { maximumFractionDigits: 2 });
}

export const namedItemSchema = { type: 'string', minLength: 1, maxLength: 100 } as const;

/** A business quantity or cost; capped so the model built from it stays in the solver range. */
export const nonNegative = { type: 'number', minimum: 0, maximum: SOLVER_NUMBER_LIMIT } as const;

/** A signed business number such as a profit or a cost per unit. */
export const businessValue = solverNumber;

/** A non-empty array of closed objects: the shape of every business list a workflow takes. */
export function listOf(required: string[], properties: Record<string, JsonSchema>): JsonSchema {
  return {
    type: 'array',
    minItems: 1,
    items: { type: 'object', required, additionalProperties: false, properties },
  };
}

/**
 * Groups items into one constraint row per key in a single pass, so building a row for each of
 * n names stays linear instead of filtering every item n times on the event loop.
 */
export function termsByKey<T>(
  items: T[],
  keyOf: (item: T) => string,
  variableOf: (item: T) => string,
  coefficientOf: (item: T) => number = () => 1,
): (key: string) => Record<string, number> {
  const rows = new Map<string, Record<string, number>>();
  for (const item of items) {
    const key = keyOf(item);
    const row = rows.get(key) ?? nameMap<number>();
    row[variableOf(item)] = coefficientOf(item);
    rows.set(key, row);
  }

  return (key) => rows.get(key) ?? nameMap<number>();
}

/** One end of a pair-list item (lane, service cost) that must name a declared item. */
export interface PairEnd<T> {
  field: keyof T & string;
  names: Set<string>;
  message: string;
}

/**
 * Errors for a list of pairs (lanes, service costs): each end must name a declared item and no
 * pair may appear twice.
 */
export function pairErrors<T>(
  items: T[],
  list: string,
  ends: [PairEnd<T>, PairEnd<T>],
  keyOf: (item: T) => string,
  duplicateMessage: string,
): FieldError[] {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  items.forEach((item, index) => {
    for (const end of ends) {
      if (!end.names.has(String(item[end.field]))) {
        errors.push({ field: childPointer('', list, index, end.field), message: end.message });
      }
    }
    const key = keyOf(item);
    if (seen.has(key)) {
      errors.push({ field: childPointer('', list, index), message: duplicateMessage });
    }
    seen.add(key);
  });

  return errors;
}

/** The used pairs of a plan (shipments, assignments) with quantity and cost, in input order. */
export function pricedFlows<T extends { costPerUnit: number }, Label extends object>(
  items: T[],
  result: SolveResult,
  variableOf: (item: T) => string,
  labelOf: (item: T) => Label,
): (Label & { quantity: number; cost: number })[] {
  return items
    .map((item) => {
      const quantity = businessNumber(result.variables[variableOf(item)]);

      return { ...labelOf(item), quantity, cost: businessNumber(quantity * item.costPerUnit) };
    })
    .filter((flow) => flow.quantity > 0);
}
