import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { registerDecorator, ValidationArguments } from 'class-validator';

/**
 * C0 and C1 controls (NUL included, DEL too) and the bidi embeddings, overrides and isolates
 * (U+202A–U+202E, U+2066–U+2069), which let a name display differently from what it is stored as.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Why a name is refused, or undefined when it is acceptable. */
export function displayNameProblem(value: unknown, maxLength: number): string | undefined {
  if (typeof value !== 'string') {
    return 'must be a string';
  }
  if (value.trim() === '') {
    return 'must not be blank';
  }
  if (value.length > maxLength) {
    return `must be at most ${maxLength} characters`;
  }
  if (FORBIDDEN.test(value)) {
    return 'must not contain control characters or bidirectional overrides';
  }

  return undefined;
}

/**
 * A human-readable name shown to operators (tenants, API keys, admin keys). Surrounding
 * whitespace is trimmed before it is checked and stored, everywhere, so ` acme ` and `acme`
 * are the same name; what remains must be visible, short enough and free of control and bidi
 * characters. One message per field, whatever is wrong.
 */
export function DisplayName(maxLength: number): PropertyDecorator {
  return applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? value.trim() : value,
    ),
    (target: object, propertyName: string | symbol) => {
      registerDecorator({
        name: 'displayName',
        target: target.constructor,
        propertyName: String(propertyName),
        options: {
          message: (args: ValidationArguments) =>
            `${args.property} ${displayNameProblem(args.value, maxLength) ?? 'is invalid'}`,
        },
        validator: {
          validate: (value: unknown) => displayNameProblem(value, maxLength) === undefined,
        },
      });
    },
  );
}
