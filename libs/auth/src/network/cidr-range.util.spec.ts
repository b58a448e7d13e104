import { BlockList } from 'node:net';
import { cidrContains, cidrsOutside, parseCidr } from './cidr-range.util';

function contains(outer: string, inner: string): boolean {
  const outerRange = parseCidr(outer);
  const innerRange = parseCidr(inner);
  if (outerRange === undefined || innerRange === undefined) {
    throw new Error(`unparsable test range: ${outer} or ${inner}`);
  }

  return cidrContains(outerRange, innerRange);
}

describe('cidr-range', () => {
  it('should parse IPv4 and IPv6 ranges and clear host bits', () => {
    expect(parseCidr('10.1.2.3/8')).toEqual({ family: 4, prefix: 8, network: 0x0a000000n });
    expect(parseCidr('::1/128')).toEqual({ family: 6, prefix: 128, network: 1n });
    expect(parseCidr('2001:db8::ff/32')).toEqual({
      family: 6,
      prefix: 32,
      network: 0x20010db8n << 96n,
    });
    expect(parseCidr('::ffff:10.0.0.1/128')?.network).toBe((0xffffn << 32n) | 0x0a000001n);
    expect(parseCidr('1:2:3:4:5:6:7:8/64')?.network).toBe(0x0001000200030004n << 64n);
  });

  it('should refuse malformed ranges', () => {
    for (const bad of ['10.0.0.0', '10.0.0.0/33', '::/129', 'bogus/8', 'fe80::1%eth0/64', '']) {
      expect(parseCidr(bad)).toBeUndefined();
    }
  });

  it('should tell IPv4 ranges inside a range from those that are not', () => {
    expect(contains('10.0.0.0/8', '10.20.0.0/16')).toBe(true);
    expect(contains('10.0.0.0/8', '10.255.255.255/32')).toBe(true);
    expect(contains('10.0.0.0/8', '10.0.0.0/8')).toBe(true);
    expect(contains('0.0.0.0/0', '203.0.113.0/24')).toBe(true);
    expect(contains('10.0.0.0/8', '10.0.0.0/7')).toBe(false);
    expect(contains('10.0.0.0/8', '11.0.0.0/16')).toBe(false);
    expect(contains('10.0.0.0/8', '0.0.0.0/0')).toBe(false);
    expect(contains('192.168.1.0/24', '192.168.0.0/24')).toBe(false);
  });

  it('should tell IPv6 ranges inside a range from those that are not', () => {
    expect(contains('2001:db8::/32', '2001:db8:ffff:ffff::/64')).toBe(true);
    expect(contains('::1/128', '::1/128')).toBe(true);
    expect(contains('::/0', '2001:db8::/32')).toBe(true);
    expect(contains('2001:db8::/32', '2001:db9::/48')).toBe(false);
    expect(contains('2001:db8::/32', '2001:db8::/31')).toBe(false);
    expect(contains('::1/128', '::/127')).toBe(false);
  });

  it('should never mix families, IPv4-mapped or not', () => {
    expect(contains('0.0.0.0/0', '::/0')).toBe(false);
    expect(contains('::/0', '10.0.0.0/8')).toBe(false);
    expect(contains('127.0.0.0/8', '::ffff:127.0.0.1/128')).toBe(false);
  });

  it('should list the candidates outside every allowed range', () => {
    const allowed = ['127.0.0.0/8', '2001:db8::/32'];

    expect(cidrsOutside(['127.0.0.1/32', '2001:db8:1::/48'], allowed)).toEqual([]);
    expect(cidrsOutside(['127.0.0.1/32', '10.0.0.0/8', '::/0', 'junk'], allowed)).toEqual([
      '10.0.0.0/8',
      '::/0',
      'junk',
    ]);
    expect(cidrsOutside(['10.0.0.0/8'], [])).toEqual(['10.0.0.0/8']);
    expect(cidrsOutside(['10.0.0.0/8'], ['junk'])).toEqual(['10.0.0.0/8']);
  });

  it('should agree with BlockList on the first and last address of random IPv4 ranges', () => {
    const text = (value: number) =>
      [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
    const random = () => Math.floor(Math.random() * 2 ** 32);

    for (let run = 0; run < 500; run++) {
      const outerPrefix = Math.floor(Math.random() * 33);
      const innerPrefix = Math.floor(Math.random() * 33);
      // Share a random number of leading bits so that containment actually happens.
      const base = random();
      const outer = `${text(base)}/${outerPrefix}`;
      const inner = `${text(run % 2 === 0 ? base : random())}/${innerPrefix}`;
      const innerRange = parseCidr(inner);
      if (innerRange === undefined) {
        throw new Error(inner);
      }
      const first = Number(innerRange.network);
      const last = first + 2 ** (32 - innerPrefix) - 1;
      const list = new BlockList();
      list.addSubnet(text(base), outerPrefix, 'ipv4');

      expect(contains(outer, inner)).toBe(
        list.check(text(first), 'ipv4') && list.check(text(last), 'ipv4'),
      );
    }
  });
});
