import { ValidationError, ValidationPipe } from '@nestjs/common';
import { AppException, FieldError } from '@app/common';

/**
 * Validates every DTO: unknown fields are refused rather than silently dropped, so a typo in a
 * security setting (say, `allowedCidr`) is a 400 and not a key without the restriction.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors: ValidationError[]) =>
      new AppException('validation_failed', 'The request has invalid fields.', {
        errors: flattenValidationErrors(errors),
      }),
  });
}

export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));

    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}
