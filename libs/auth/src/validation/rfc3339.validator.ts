import { registerDecorator, ValidationOptions } from 'class-validator';

/**
 * RFC 3339 `date-time` (section 5.6): full date, `T`, full time, and an explicit offset. A time
 * without an offset would be read in the server's local time, so it is refused like any other
 * form ISO 8601 allows and we do not (week dates, basic format, ordinal dates).
 */
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|([+-])(\d{2}):(\d{2}))$/;

/**
 * Epoch milliseconds of an RFC 3339 date-time with an explicit offset, or undefined when the text
 * is not one or names no real instant. Each field is checked against the calendar, because
 * Date.parse would roll `2030-02-30` over into March and accept `24:00`.
 */
export function parseRfc3339(text: unknown): number | undefined {
  if (typeof text !== 'string') {
    return undefined;
  }

  const match = RFC3339.exec(text);
  if (match === null) {
    return undefined;
  }

  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHours = match[10] === undefined ? 0 : Number(match[10]);
  const offsetMinutes = match[11] === undefined ? 0 : Number(match[11]);
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59 ||
    offsetHours > 23 ||
    offsetMinutes > 59
  ) {
    return undefined;
  }

  const time = Date.parse(text);

  return Number.isFinite(time) ? time : undefined;
}

/** The property is an RFC 3339 date-time with an explicit offset (`Z` or `±hh:mm`). */
export function IsRfc3339DateTime(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isRfc3339DateTime',
      target: target.constructor,
      propertyName: String(propertyName),
      options: {
        message:
          '$property must be an RFC 3339 date-time with an offset, such as 2030-01-01T00:00:00Z',
        ...options,
      },
      validator: { validate: (value: unknown) => parseRfc3339(value) !== undefined },
    });
  };
}

/** Days in a month of the proleptic Gregorian calendar (RFC 3339, appendix C). */
function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

    return leap ? 29 : 28;
  }

  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
