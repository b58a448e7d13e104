import { CidrMatcher } from './cidr.matcher';

describe(CidrMatcher.name, () => {
  it('should match IPv4 addresses, including IPv4-mapped IPv6 ones', () => {
    const matcher = new CidrMatcher(['10.0.0.0/8', '192.168.1.7/32']);

    expect(matcher.allows('10.200.3.4')).toBe(true);
    expect(matcher.allows('::ffff:10.1.1.1')).toBe(true);
    expect(matcher.allows('192.168.1.7')).toBe(true);
    expect(matcher.allows('192.168.1.8')).toBe(false);
    expect(matcher.allows('11.0.0.1')).toBe(false);
  });

  it('should match IPv6 addresses', () => {
    const matcher = new CidrMatcher(['2001:db8::/32', '::1/128']);

    expect(matcher.allows('2001:db8:1::5')).toBe(true);
    expect(matcher.allows('::1')).toBe(true);
    expect(matcher.allows('2001:db9::1')).toBe(false);
  });

  it('should refuse unparsable addresses and reject invalid ranges', () => {
    expect(new CidrMatcher(['0.0.0.0/0']).allows('not-an-ip')).toBe(false);
    expect(CidrMatcher.isValid('10.0.0.0/33')).toBe(false);
    expect(CidrMatcher.isValid('10.0.0.0')).toBe(false);
    expect(CidrMatcher.isValid('fe80::/10')).toBe(true);
    expect(() => new CidrMatcher(['bogus/8'])).toThrow();
  });
});
