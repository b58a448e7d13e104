import { registerDecorator, ValidationOptions } from 'class-validator';
import { CidrMatcher } from './cidr-matcher';

/** Validates each element of an array as an IPv4 or IPv6 CIDR range such as 10.0.0.0/8. */
export function IsCidrList(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isCidrList',
      target: target.constructor,
      propertyName: String(propertyName),
      options: { message: 'each entry must be an IPv4 or IPv6 CIDR range', ...options },
      validator: {
        validate: (value: unknown) =>
          Array.isArray(value) &&
          value.every((entry) => typeof entry === 'string' && CidrMatcher.isValid(entry)),
      },
    });
  };
}
