import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { AdminKeysService, StepUpService, TotpService } from '@app/admin';
import { Scope } from '@app/auth';
import { DynamoConnection } from '@app/dynamo';
import { TestApp } from './test-app';

/** An admin key as its creator receives it once. */
export interface AdminCredentials {
  id: string;
  key: string;
  totpSecret: string;
}

/** An admin key with a live step-up token: enough for any admin route. */
export interface AdminSession extends AdminCredentials {
  stepUpToken: string;
}

/** A tenant and one of its API keys, created through the admin API. */
export interface TenantWithKey {
  tenantId: string;
  keyId: string;
  key: string;
}

const sessions = new WeakMap<TestApp, Promise<AdminSession>>();

/** Creates an admin key directly through the service (no HTTP, no step-up needed). */
export async function createAdminKey(
  testApp: TestApp,
  name = 'fixture',
): Promise<AdminCredentials> {
  const issued = await testApp.app.get(AdminKeysService).create({ name }, 'test', 'test');

  return { id: issued.record.id, key: issued.key, totpSecret: issued.totpSecret };
}

/**
 * A step-up token for the admin key, issued by the service. HTTP step-up consumes the current
 * TOTP step (a code is accepted once), so fixtures do not spend codes; the admin suite tests
 * POST /v1/admin/step-up itself. A negative lifetime makes an already expired token.
 */
export async function issueStepUpToken(
  testApp: TestApp,
  admin: AdminCredentials,
  ttlSeconds = 900,
): Promise<string> {
  const { token } = await testApp.app.get(StepUpService).issue(admin.id, ttlSeconds, 'test');

  return token;
}

/** The current TOTP code of an admin key, as an authenticator app would show it. */
export function currentOtp(admin: AdminCredentials, epochSeconds?: number): string {
  return new TotpService().generate(admin.totpSecret, epochSeconds);
}

/** One admin key and step-up token per app, created on first use. */
export function adminSession(testApp: TestApp): Promise<AdminSession> {
  let session = sessions.get(testApp);
  if (session === undefined) {
    session = (async () => {
      const admin = await createAdminKey(testApp, 'fixture-session');

      return { ...admin, stepUpToken: await issueStepUpToken(testApp, admin) };
    })();
    sessions.set(testApp, session);
  }

  return session;
}

/** Headers for an admin call; pass the session's token for mutations. */
export function adminHeaders(
  admin: AdminCredentials & { stepUpToken?: string },
  withStepUp = true,
): Record<string, string> {
  return {
    'X-Admin-Key': admin.key,
    ...(withStepUp && admin.stepUpToken ? { 'X-Admin-Step-Up': admin.stepUpToken } : {}),
  };
}

/** Creates a tenant over HTTP through the admin API; answers its id. */
export async function createTenant(
  testApp: TestApp,
  body: Record<string, unknown> = { name: 'Fixture tenant' },
): Promise<string> {
  const admin = await adminSession(testApp);
  const response = await testApp.http
    .post('/v1/admin/tenants')
    .set(adminHeaders(admin))
    .send(body)
    .expect(201);

  return response.body.id as string;
}

/** Creates an API key for a tenant over HTTP through the admin API. */
export async function createApiKey(
  testApp: TestApp,
  tenantId: string,
  scopes: Scope[],
  extra: Record<string, unknown> = {},
): Promise<{ keyId: string; key: string }> {
  const admin = await adminSession(testApp);
  const response = await testApp.http
    .post(`/v1/admin/tenants/${tenantId}/api-keys`)
    .set(adminHeaders(admin))
    .send({ name: 'fixture key', scopes, ...extra })
    .expect(201);

  return { keyId: response.body.id as string, key: response.body.key as string };
}

/** A fresh tenant with one API key holding exactly the given scopes. */
export async function createTenantWithKey(
  testApp: TestApp,
  scopes: Scope[],
  extra: Record<string, unknown> = {},
): Promise<TenantWithKey> {
  const tenantId = await createTenant(testApp, { name: `Tenant ${Date.now()}` });
  const { keyId, key } = await createApiKey(testApp, tenantId, scopes, extra);

  return { tenantId, keyId, key };
}

/** Every item of every table of this app, as JSON text, for "no secret at rest" checks. */
export async function dumpTables(testApp: TestApp): Promise<string> {
  const connection = testApp.app.get(DynamoConnection);
  const { TableNames = [] } = await connection.client.listTables({});
  const prefix = testApp.config.tablePrefix;
  const dumps: unknown[] = [];
  for (const name of TableNames.filter((table) => table.startsWith(prefix))) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await connection.client.send(
        new ScanCommand({ TableName: name, ExclusiveStartKey: startKey as never }),
      );
      dumps.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  }

  return JSON.stringify(dumps);
}
