import { randomBytes } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID-style id: 10 characters of millisecond time then 16 random ones, so a tenant's
 * invocations sort by time in their table and ids never collide across processes.
 */
export function newInvocationId(now = Date.now()): string {
  let time = '';
  let rest = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[rest % 32] + time;
    rest = Math.floor(rest / 32);
  }

  const random = [...randomBytes(16)].map((byte) => CROCKFORD[byte % 32]).join('');

  return `inv_${time}${random}`;
}
