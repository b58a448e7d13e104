import { BlockList, isIP } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i;

/** Allowed client ranges of a credential, IPv4 and IPv6, checked with node's BlockList. */
export class CidrMatcher {
  private readonly list = new BlockList();

  constructor(cidrs: readonly string[]) {
    for (const cidr of cidrs) {
      const parsed = CidrMatcher.parse(cidr);
      if (parsed === undefined) {
        throw new Error(`Invalid CIDR range: ${cidr}`);
      }
      this.list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }

  /** True when the address falls in one of the ranges; an unparsable address never does. */
  allows(address: string): boolean {
    // Dual-stack sockets report IPv4 clients as ::ffff:a.b.c.d; ranges are written as IPv4.
    const mapped = IPV4_MAPPED.exec(address);
    const plain = mapped ? mapped[1] : address;
    const version = isIP(plain);
    if (version === 0) {
      return false;
    }

    return this.list.check(plain, version === 4 ? 'ipv4' : 'ipv6');
  }

  static isValid(cidr: string): boolean {
    return CidrMatcher.parse(cidr) !== undefined;
  }

  private static parse(
    cidr: string,
  ): { address: string; prefix: number; family: 'ipv4' | 'ipv6' } | undefined {
    const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
    if (!match) {
      return undefined;
    }

    const version = isIP(match[1]);
    const prefix = Number(match[2]);
    if (version === 0 || prefix > (version === 4 ? 32 : 128)) {
      return undefined;
    }

    return { address: match[1], prefix, family: version === 4 ? 'ipv4' : 'ipv6' };
  }
}
