import { registerDecorator, ValidationOptions } from 'class-validator';

const MAX_ENTRIES = 20;
const MAX_LENGTH = 256;

/** Metadata is a flat map of at most 20 short strings, so it cannot bloat the key record. */
export function IsStringMap(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isStringMap',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: `must map at most ${MAX_ENTRIES} names to strings of at most ${MAX_LENGTH} characters`,
        ...options,
      },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) {
            return false;
          }

          const entries = Object.entries(value);

          return (
            entries.length <= MAX_ENTRIES &&
            entries.every(
              ([name, entry]) =>
                name.length >= 1 &&
                name.length <= 64 &&
                typeof entry === 'string' &&
                entry.length <= MAX_LENGTH,
            )
          );
        },
      },
    });
  };
}
