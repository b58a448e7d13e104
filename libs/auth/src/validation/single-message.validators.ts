import { registerDecorator, ValidationArguments } from 'class-validator';

/**
 * Validators that answer one message per field, whatever is wrong with it. Stacked
 * class-validator decorators (IsInt, Min, Max) each add their own message, so a string sent for
 * a number was refused with three, two of them about a range the client never exceeded.
 */
function singleMessage(
  name: string,
  problem: (value: unknown) => string | undefined,
): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message: (args: ValidationArguments) =>
          `${args.property} ${problem(args.value) ?? 'is invalid'}`,
      },
      validator: { validate: (value: unknown) => problem(value) === undefined },
    });
  };
}

/** An integer from `min` to `max` inclusive. */
export function IntegerBetween(min: number, max: number): PropertyDecorator {
  return singleMessage('integerBetween', (value) =>
    Number.isSafeInteger(value) && (value as number) >= min && (value as number) <= max
      ? undefined
      : `must be an integer from ${min} to ${max}`,
  );
}

export interface ListRules {
  maxSize: number;
  /** Refuse an entry given twice. */
  unique?: boolean;
  /** Whether one entry is acceptable. */
  entry: (entry: unknown) => boolean;
  /** What each entry must be, as in "each entry must be ..." */
  entryDescription: string;
}

/** An array of at most `maxSize` acceptable (and, if asked, distinct) entries. */
export function ListOf(rules: ListRules): PropertyDecorator {
  return singleMessage('listOf', (value) => {
    if (!Array.isArray(value)) {
      return 'must be an array';
    }
    if (value.length > rules.maxSize) {
      return `must hold at most ${rules.maxSize} entries`;
    }
    if (!value.every(rules.entry)) {
      return `each entry must be ${rules.entryDescription}`;
    }
    if (rules.unique === true && new Set(value).size !== value.length) {
      return 'must not repeat an entry';
    }

    return undefined;
  });
}
