import { randomFillSync } from 'node:crypto';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const RANDOM_CHARACTERS = 16;
/** Random bytes drawn 256 ids at a time: one randomFillSync call per id was measurable. */
const POOL_SIZE = RANDOM_CHARACTERS * 256;
const pool = Buffer.alloc(POOL_SIZE);
let offset = POOL_SIZE;

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

  if (offset === POOL_SIZE) {
    randomFillSync(pool);
    offset = 0;
  }
  let random = '';
  for (let i = 0; i < RANDOM_CHARACTERS; i++) {
    random += CROCKFORD[pool[offset + i] % 32];
  }
  offset += RANDOM_CHARACTERS;

  return `inv_${time}${random}`;
}
