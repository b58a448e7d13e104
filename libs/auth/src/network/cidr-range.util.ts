import { isIP } from 'node:net';

const CIDR_SHAPE = /^([^/]+)\/(\d{1,3})$/;
const IPV4_SHAPE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** A CIDR range as numbers: its family, prefix length and network address (host bits cleared). */
export interface CidrRange {
  family: 4 | 6;
  prefix: number;
  network: bigint;
}

/**
 * Parses `address/prefix` for IPv4 or IPv6, or answers undefined. Host bits are cleared, so
 * 10.1.2.3/8 is 10.0.0.0/8; zone ids (fe80::1%eth0) are refused, as they name no network.
 */
export function parseCidr(cidr: string): CidrRange | undefined {
  const match = CIDR_SHAPE.exec(cidr);
  if (!match || match[1].includes('%')) {
    return undefined;
  }

  const version = isIP(match[1]);
  const prefix = Number(match[2]);
  const bits = version === 4 ? 32 : 128;
  if (version === 0 || prefix > bits) {
    return undefined;
  }

  const family = version === 4 ? 4 : 6;
  const address = family === 4 ? ipv4ToBigInt(match[1]) : ipv6ToBigInt(match[1]);
  const hostBits = BigInt(bits - prefix);

  return { family, prefix, network: (address >> hostBits) << hostBits };
}

/**
 * True when every address of `inner` is also in `outer`: same family, a prefix at least as long,
 * and the same network bits under `outer`'s prefix. Families never mix, so an IPv4-mapped IPv6
 * range is not inside an IPv4 one (and the other way round): a doubt refuses, it never admits.
 */
export function cidrContains(outer: CidrRange, inner: CidrRange): boolean {
  if (outer.family !== inner.family || inner.prefix < outer.prefix) {
    return false;
  }

  const hostBits = BigInt((outer.family === 4 ? 32 : 128) - outer.prefix);

  return inner.network >> hostBits === outer.network >> hostBits;
}

/**
 * The entries of `candidates` not contained in any of `allowed` (all as CIDR text); an
 * unparsable entry on either side never counts as contained.
 */
export function cidrsOutside(candidates: readonly string[], allowed: readonly string[]): string[] {
  const outers = allowed.map(parseCidr).filter((range) => range !== undefined);

  return candidates.filter((candidate) => {
    const inner = parseCidr(candidate);

    return inner === undefined || !outers.some((outer) => cidrContains(outer, inner));
  });
}

function ipv4ToBigInt(address: string): bigint {
  const octets = IPV4_SHAPE.exec(address);
  if (!octets) {
    throw new Error('Not an IPv4 address');
  }

  return octets.slice(1).reduce((value, octet) => (value << 8n) | BigInt(Number(octet)), 0n);
}

/** Expands `::` and a trailing dotted IPv4 part; the caller has already checked isIP() === 6. */
function ipv6ToBigInt(address: string): bigint {
  let text = address;
  const dotted = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4ToBigInt(dotted[2]);
    text = `${dotted[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }

  const [head, tail] = text.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const missing = 8 - headGroups.length - tailGroups.length;
  const groups =
    tail === undefined
      ? headGroups
      : [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];

  return groups.reduce((value, group) => (value << 16n) | BigInt(parseInt(group, 16)), 0n);
}
