/**
 * Objects keyed by caller-chosen names (variables, constraints, scenarios). They have no
 * prototype, so every name is an own property: on a plain object, assigning `__proto__` would
 * replace the prototype and the entry would vanish from the JSON, and reading a missing
 * `constructor` would find Object's. JSON.stringify writes them like any other object.
 */
export function nameMap<T>(entries?: Iterable<readonly [string, T]>): Record<string, T> {
  const map = Object.create(null) as Record<string, T>;
  for (const [name, value] of entries ?? []) {
    map[name] = value;
  }

  return map;
}

/** The value stored under `name` itself, never one inherited from a prototype. */
export function ownValue<T>(map: Record<string, T> | undefined, name: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, name) ? map[name] : undefined;
}
