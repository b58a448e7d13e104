import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { httpRequest, spawnNode } from './processes';
import { Credentials } from './scenarios';
import { ADMIN_CLI, ServiceEnvironment, serviceEnv } from './services';

/** The rate limiter's ceiling: it is evaluated on every request but never trips in the bench. */
const RATE_LIMIT_PER_MINUTE = 1_000_000;

interface AdminKey {
  key: string;
  totpSecret: string;
}

/** RFC 4648 base32, as authenticator secrets are written. */
function base32Decode(text: string): Buffer {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const bytes: number[] = [];
  for (const char of text.replace(/=+$/, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bytes.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }

  return Buffer.from(bytes);
}

/**
 * The current RFC 6238 code (SHA-1, 6 digits, 30 s), as an operator's authenticator app shows
 * it; a dozen lines of node:crypto rather than otplib, whose default plugins are ESM-only.
 */
export function totpCode(secret: string, now = Date.now()): string {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(now / 30_000)));
  const digest = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = digest[digest.length - 1] & 0x0f;
  const code = (digest.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;

  return String(code).padStart(6, '0');
}

/** The operator's way to the first admin key: the CLI, against the service's tables. */
async function createAdminKey(service: ServiceEnvironment): Promise<AdminKey> {
  const child = spawnNode(ADMIN_CLI, {
    args: ['create-key', '--name', 'bench'],
    env: serviceEnv(service, undefined, false),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolveExit) => child.once('close', resolveExit));

  const key = /^Admin key:\s+(\S+)$/m.exec(output)?.[1];
  const totpSecret = /^TOTP secret:\s+(\S+)$/m.exec(output)?.[1];
  if (code !== 0 || key === undefined || totpSecret === undefined) {
    throw new Error(`admin CLI exited with ${code}: ${output.slice(0, 500)}`);
  }

  return { key, totpSecret };
}

async function postJson<T>(
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<T> {
  const answer = await httpRequest(url, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (answer.status < 200 || answer.status >= 300) {
    throw new Error(`POST ${new URL(url).pathname} answered ${answer.status}: ${answer.body}`);
  }

  return JSON.parse(answer.body) as T;
}

/**
 * A tenant API key for scenarios 3 and 5, obtained the way an operator would: an admin key from
 * the CLI, a step-up token for a TOTP code, a tenant, then a key with scopes for listing and
 * invoking tools and a rate limit high enough never to be hit once limits are enforced.
 */
export async function provisionTenantKey(
  serviceUrl: string,
  service: ServiceEnvironment,
): Promise<Credentials> {
  if (!existsSync(ADMIN_CLI)) {
    return { unavailable: `n/a: ${ADMIN_CLI} missing (identity not built yet)` };
  }

  const admin = await createAdminKey(service);
  const { token } = await postJson<{ token: string }>(
    `${serviceUrl}/v1/admin/step-up`,
    { 'x-admin-key': admin.key },
    { otp: totpCode(admin.totpSecret) },
  );
  const adminHeaders = { 'x-admin-key': admin.key, 'x-admin-step-up': token };
  const tenant = await postJson<{ id: string }>(`${serviceUrl}/v1/admin/tenants`, adminHeaders, {
    name: 'Bench tenant',
    // Room above the 4 connections of scenario 5b: when a round ends, autocannon drops requests
    // still solving, and the next round's must not be refused while those finish.
    settings: { defaultRateLimitPerMinute: RATE_LIMIT_PER_MINUTE, maxConcurrentJobs: 16 },
  });
  const apiKey = await postJson<{ key: string }>(
    `${serviceUrl}/v1/admin/tenants/${tenant.id}/api-keys`,
    adminHeaders,
    {
      name: 'bench',
      scopes: ['tools:read', 'tools:invoke'],
      rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
    },
  );

  return { apiKey: apiKey.key };
}
