import { ListOf } from '../validation/single-message.validators';
import { CidrMatcher } from './cidr.matcher';

/** At most 50 IPv4 or IPv6 CIDR ranges such as 10.0.0.0/8, refused with one message. */
export function IsCidrList(): PropertyDecorator {
  return ListOf({
    maxSize: 50,
    entry: (entry) => typeof entry === 'string' && CidrMatcher.isValid(entry),
    entryDescription: 'an IPv4 or IPv6 CIDR range',
  });
}
