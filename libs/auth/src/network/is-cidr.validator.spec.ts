import { validateSync } from 'class-validator';
import { IsCidrList } from './is-cidr.validator';

class Holder {
  @IsCidrList()
  cidrs!: unknown;
}

function errorsFor(cidrs: unknown): number {
  return validateSync(Object.assign(new Holder(), { cidrs })).length;
}

describe(IsCidrList.name, () => {
  it('should accept IPv4 and IPv6 ranges', () => {
    expect(errorsFor(['10.0.0.0/8', '2001:db8::/32', '0.0.0.0/0'])).toBe(0);
  });

  it('should refuse bare addresses, bad prefixes and non-strings', () => {
    expect(errorsFor(['10.0.0.1'])).toBe(1);
    expect(errorsFor(['10.0.0.0/40'])).toBe(1);
    expect(errorsFor([42])).toBe(1);
    expect(errorsFor('10.0.0.0/8')).toBe(1);
  });
});
