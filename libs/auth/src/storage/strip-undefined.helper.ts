/**
 * The defined members of an object. Optional inputs are spread over defaults and stored items,
 * where an explicit `undefined` would erase a default or be refused by the schema.
 */
export function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(
    Object.entries(value ?? {}).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
