import { AdminKeysService, StepUpService } from '@app/admin';
import { AdminAuditRepository, KeyMaterialService, StepUpTokenRepository } from '@app/auth';
import {
  adminHeaders,
  createAdminKey,
  createTenantWithKey,
  currentOtp,
  dumpTables,
  issueStepUpToken,
  AdminCredentials,
} from './support/identity-fixtures';
import { startTestApp, TestApp, uniqueTablePrefix } from './support/test-app';

describe(AdminKeysService.name, () => {
  let testApp: TestApp;
  let admin: AdminCredentials;
  const secrets: string[] = [];

  beforeAll(async () => {
    testApp = await startTestApp();
    admin = await createAdminKey(testApp, 'primary');
    secrets.push(admin.key, admin.totpSecret);
  });

  afterAll(async () => {
    await testApp.close();
  });

  describe('step-up', () => {
    it('should exchange the current code for a token that allows mutations', async () => {
      const response = await testApp.http
        .post('/v1/admin/step-up')
        .set('X-Admin-Key', admin.key)
        .send({ otp: currentOtp(admin) })
        .expect(200);
      secrets.push(response.body.token);

      expect(response.body).toEqual({ token: expect.stringMatching(/^dcsu_/), expiresIn: 900 });
      await testApp.http
        .post('/v1/admin/tenants')
        .set({ 'X-Admin-Key': admin.key, 'X-Admin-Step-Up': response.body.token })
        .send({ name: 'Stepped up' })
        .expect(201);
    });

    it('should refuse a replayed code, and an earlier one, once a code was accepted', async () => {
      const other = await createAdminKey(testApp, 'replay');
      const otp = currentOtp(other);
      await testApp.http
        .post('/v1/admin/step-up')
        .set('X-Admin-Key', other.key)
        .send({ otp })
        .expect(200);

      const replay = await testApp.http
        .post('/v1/admin/step-up')
        .set('X-Admin-Key', other.key)
        .send({ otp })
        .expect(401);
      expect(replay.body.code).toBe('otp_invalid');
      await testApp.http
        .post('/v1/admin/step-up')
        .set('X-Admin-Key', other.key)
        .send({ otp: currentOtp(other, Math.floor(Date.now() / 1000) - 30) })
        .expect(401);
    });

    it('should accept a code only once under concurrent step-ups', async () => {
      const racer = await createAdminKey(testApp, 'racer');
      const otp = currentOtp(racer);

      const statuses = await Promise.all(
        [1, 2, 3].map(async () => {
          const response = await testApp.http
            .post('/v1/admin/step-up')
            .set('X-Admin-Key', racer.key)
            .send({ otp });

          return response.status;
        }),
      );

      expect(statuses.sort()).toEqual([200, 401, 401]);
    });

    it('should accept a code of the previous or the next window, but not two windows away', async () => {
      const drifting = await createAdminKey(testApp, 'drifting');
      const late = await createAdminKey(testApp, 'late');
      const now = Math.floor(Date.now() / 1000);
      const stepUp = (who: AdminCredentials, otp: string) =>
        testApp.http.post('/v1/admin/step-up').set('X-Admin-Key', who.key).send({ otp });

      await stepUp(drifting, currentOtp(drifting, now - 30)).expect(200);
      await stepUp(drifting, currentOtp(drifting, now + 30)).expect(200);
      await stepUp(late, currentOtp(late, now - 75)).expect(401);
      await stepUp(late, currentOtp(late, now + 75)).expect(401);
    });

    it('should lock step-up for a while after too many attempts, even with the right code', async () => {
      const target = await createAdminKey(testApp, 'brute-forced');
      const wrong = String((Number(currentOtp(target)) + 500000) % 1000000).padStart(6, '0');
      const attempt = (otp: string) =>
        testApp.http.post('/v1/admin/step-up').set('X-Admin-Key', target.key).send({ otp });

      for (let index = 0; index < 5; index++) {
        await attempt(wrong).expect(401);
      }
      const locked = await attempt(currentOtp(target)).expect(429);

      expect(locked.body.code).toBe('rate_limited');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    });

    it('should refuse a wrong or malformed code', async () => {
      const wrong = String((Number(currentOtp(admin)) + 1) % 1000000).padStart(6, '0');

      await testApp.http
        .post('/v1/admin/step-up')
        .set('X-Admin-Key', admin.key)
        .send({ otp: wrong })
        .expect(401);
      await testApp.http
        .post('/v1/admin/step-up')
        .set('X-Admin-Key', admin.key)
        .send({ otp: 'abc' })
        .expect(400);
    });

    it('should refuse a mutation without a token, with an expired one, or with another key’s', async () => {
      const expired = await issueStepUpToken(testApp, admin, -1);
      const someoneElse = await createAdminKey(testApp, 'someone');
      const foreign = await issueStepUpToken(testApp, someoneElse);
      secrets.push(expired, foreign, someoneElse.key, someoneElse.totpSecret);

      for (const token of [undefined, expired, foreign, 'dcsu_garbage']) {
        const response = await testApp.http
          .post('/v1/admin/tenants')
          .set(adminHeaders({ ...admin, stepUpToken: token }))
          .send({ name: 'Refused' })
          .expect(403);
        expect(response.body.code).toBe('step_up_required');
      }
    });

    it('should end a step-up token on request', async () => {
      const token = await issueStepUpToken(testApp, admin);
      secrets.push(token);
      const headers = adminHeaders({ ...admin, stepUpToken: token });
      await testApp.http.post('/v1/admin/tenants').set(headers).send({ name: 'ok' }).expect(201);

      await testApp.http.delete('/v1/admin/step-up').set(headers).expect(204);

      await testApp.http.post('/v1/admin/tenants').set(headers).send({ name: 'no' }).expect(403);
    });
  });

  describe('admin keys', () => {
    it('should create an admin key with its TOTP secret and URI, shown once', async () => {
      const token = await issueStepUpToken(testApp, admin);
      const response = await testApp.http
        .post('/v1/admin/admin-keys')
        .set(adminHeaders({ ...admin, stepUpToken: token }))
        .send({ name: 'bob' })
        .expect(201);
      secrets.push(token, response.body.key, response.body.totpSecret);

      expect(response.body).toMatchObject({
        id: expect.stringMatching(/^adk_/),
        key: expect.stringMatching(/^dca_/),
        totpSecret: expect.stringMatching(/^[A-Z2-7]{32}$/),
        otpauthUrl: expect.stringMatching(/^otpauth:\/\/totp\//),
      });
      const listed = await testApp.http
        .get('/v1/admin/admin-keys')
        .set('X-Admin-Key', response.body.key)
        .expect(200);
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain(response.body.key);
      expect(text).not.toContain(response.body.totpSecret);
      expect(listed.body.items.map((item: { id: string }) => item.id)).toContain(response.body.id);
    });

    it('should require a reason to revoke, and refuse the revoked key at once', async () => {
      const token = await issueStepUpToken(testApp, admin);
      const victim = await createAdminKey(testApp, 'victim');
      secrets.push(token, victim.key, victim.totpSecret);
      await testApp.http.get('/v1/admin/admin-keys').set('X-Admin-Key', victim.key).expect(200);
      const headers = adminHeaders({ ...admin, stepUpToken: token });

      await testApp.http.delete(`/v1/admin/admin-keys/${victim.id}`).set(headers).expect(400);
      await testApp.http
        .delete(`/v1/admin/admin-keys/${victim.id}`)
        .set(headers)
        .send({ reason: '   \t  ' })
        .expect(400);
      const revoked = await testApp.http
        .delete(`/v1/admin/admin-keys/${victim.id}`)
        .set(headers)
        .send({ reason: 'laptop lost' })
        .expect(204);

      await testApp.http.get('/v1/admin/admin-keys').set('X-Admin-Key', victim.key).expect(401);
      const events = await testApp.app.get(AdminAuditRepository).all();
      expect(events).toContainEqual(
        expect.objectContaining({
          action: 'admin_key.revoke',
          adminKeyId: admin.id,
          target: `keyId=${victim.id}`,
          reason: 'laptop lost',
          outcome: 'success',
          status: 204,
          requestId: revoked.headers['x-request-id'],
        }),
      );
    });

    it('should record failed admin mutations in the audit too', async () => {
      const token = await issueStepUpToken(testApp, admin);
      secrets.push(token);

      await testApp.http
        .delete('/v1/admin/admin-keys/adk_missing')
        .set(adminHeaders({ ...admin, stepUpToken: token }))
        .send({ reason: 'typo' })
        .expect(404);

      const events = await testApp.app.get(AdminAuditRepository).all();
      expect(events).toContainEqual(
        expect.objectContaining({ action: 'admin_key.revoke', outcome: 'failure', status: 404 }),
      );
    });

    it('should refuse an invalid CIDR range from any caller, such as the CLI, storing nothing', async () => {
      const service = testApp.app.get(AdminKeysService);
      const before = (await service.list(100)).items.length;

      await expect(
        service.create({ name: 'cli-typo', allowedCidrs: ['10.0.0.0/33'] }, 'cli', 'test'),
      ).rejects.toMatchObject({ code: 'validation_failed', status: 400 });
      await expect(service.create({ name: '' }, 'cli', 'test')).rejects.toMatchObject({
        code: 'validation_failed',
      });

      expect((await service.list(100)).items).toHaveLength(before);
    });

    it('should refuse an admin key outside its CIDR ranges and an unknown admin key', async () => {
      const fenced = await testApp.app
        .get(AdminKeysService)
        .create({ name: 'fenced', allowedCidrs: ['10.0.0.0/8'] }, 'test', 'test');
      secrets.push(fenced.key, fenced.totpSecret);

      const refused = await testApp.http
        .get('/v1/admin/admin-keys')
        .set('X-Admin-Key', fenced.key)
        .expect(403);
      expect(refused.body.code).toBe('ip_not_allowed');
      await testApp.http
        .get('/v1/admin/admin-keys')
        .set('X-Admin-Key', `${admin.key.slice(0, -1)}${admin.key.endsWith('x') ? 'y' : 'x'}`)
        .expect(401);
    });
  });

  it('should keep no plaintext key, TOTP secret, step-up token or pepper in the database or logs', async () => {
    const tenant = await createTenantWithKey(testApp, ['keys:read', 'keys:write']);
    const selfMade = await testApp.http
      .post('/v1/api-keys')
      .set('X-API-Key', tenant.key)
      .send({ name: 'self', scopes: ['keys:read'] })
      .expect(201);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', selfMade.body.key).expect(200);
    await testApp.http.get('/v1/api-keys').set('X-API-Key', 'dcs_test_wrong').expect(401);
    const all = [...secrets, tenant.key, selfMade.body.key, testApp.config.apiKeyPepper as string];

    const database = await dumpTables(testApp);
    const logs = testApp.logs().join('\n');
    expect(database.length).toBeGreaterThan(1000);
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of all) {
      expect(database).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(logs).not.toContain('dcs_test_wrong');
  });

  describe('on another instance of the same tables', () => {
    let other: TestApp;

    beforeAll(async () => {
      // The longest cache: the other instance keeps trusting what it verified before revocation.
      other = await startTestApp({
        TABLE_PREFIX: testApp.config.tablePrefix,
        API_KEY_PEPPER: testApp.config.apiKeyPepper,
        AUTH_CACHE_TTL_MS: '60000',
      });
    });

    afterAll(async () => {
      await other.close();
    });

    async function revokeOnFirstInstance(keyId: string): Promise<void> {
      const token = await issueStepUpToken(testApp, admin);
      secrets.push(token);
      await testApp.http
        .delete(`/v1/admin/admin-keys/${keyId}`)
        .set(adminHeaders({ ...admin, stepUpToken: token }))
        .send({ reason: 'key leaked' })
        .expect(204);
    }

    it('should end the step-up tokens of a revoked admin key everywhere at once', async () => {
      const roaming = await createAdminKey(testApp, 'roaming');
      const token = await issueStepUpToken(testApp, roaming);
      secrets.push(roaming.key, roaming.totpSecret, token);
      const headers = adminHeaders({ ...roaming, stepUpToken: token });
      await other.http.post('/v1/admin/tenants').set(headers).send({ name: 'before' }).expect(201);

      await revokeOnFirstInstance(roaming.id);

      const refused = await other.http
        .post('/v1/admin/tenants')
        .set(headers)
        .send({ name: 'after' })
        .expect(403);
      expect(refused.body.code).toBe('step_up_required');
      const tokenId = testApp.app.get(KeyMaterialService).recognise(token, 'stepUp')?.id as string;
      expect(await testApp.app.get(StepUpTokenRepository).get(tokenId)).toBeUndefined();
    });

    it('should refuse a step-up token of an admin key revoked meanwhile, though the key is cached', async () => {
      const roaming = await createAdminKey(testApp, 'raced');
      secrets.push(roaming.key, roaming.totpSecret);
      await other.http.get('/v1/admin/admin-keys').set('X-Admin-Key', roaming.key).expect(200);

      await revokeOnFirstInstance(roaming.id);
      // A step-up that passed its own check just before the revocation stores its token after.
      const late = await other.app.get(StepUpService).issue(roaming.id, 900, 'test');
      secrets.push(late.token);

      const refused = await other.http
        .post('/v1/admin/tenants')
        .set(adminHeaders({ ...roaming, stepUpToken: late.token }))
        .send({ name: 'after' })
        .expect(401);
      expect(refused.body.code).toBe('unauthenticated');
      await other.http.get('/v1/admin/admin-keys').set('X-Admin-Key', roaming.key).expect(401);
    });
  });

  describe('with a single admin key', () => {
    let lonely: TestApp;

    beforeAll(async () => {
      lonely = await startTestApp();
    });

    afterAll(async () => {
      await lonely.close();
    });

    it('should refuse to revoke the last active admin key', async () => {
      const only = await createAdminKey(lonely, 'only');
      const token = await issueStepUpToken(lonely, only);

      const response = await lonely.http
        .delete(`/v1/admin/admin-keys/${only.id}`)
        .set(adminHeaders({ ...only, stepUpToken: token }))
        .send({ reason: 'oops' })
        .expect(409);

      expect(response.body.code).toBe('last_admin_key');
      await lonely.http.get('/v1/admin/admin-keys').set('X-Admin-Key', only.key).expect(200);
    });

    it('should leave one active admin key when the last two are revoked concurrently', async () => {
      const service = lonely.app.get(AdminKeysService);
      await createAdminKey(lonely, 'second');
      const active = (await service.list(100)).items.filter((key) => key.status === 'active');
      expect(active).toHaveLength(2);

      const outcomes = await Promise.allSettled(
        active.map((key) => service.revoke(key.id, 'race', 'test', 'test')),
      );

      expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === 'rejected')).toMatchObject({
        reason: { code: 'last_admin_key' },
      });
      const remaining = (await service.list(100)).items.filter((key) => key.status === 'active');
      expect(remaining).toHaveLength(1);
    });
  });

  describe('bootstrap', () => {
    it('should print one admin key once across concurrent starts, then never again', async () => {
      const written: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        written.push(String(chunk));

        return true;
      });
      const env = { ADMIN_BOOTSTRAP: 'true', TABLE_PREFIX: uniqueTablePrefix() };
      try {
        const apps = await Promise.all([startTestApp(env), startTestApp(env)]);
        const again = await startTestApp(env);
        await Promise.all([...apps, again].map((app) => app.close()));
      } finally {
        spy.mockRestore();
      }

      const banners = written.filter((text) => text.includes('bootstrap admin key'));
      expect(banners).toHaveLength(1);
      expect(banners[0]).toMatch(
        /Admin key: {3}dca_\S+\nTOTP secret: [A-Z2-7]{32}\notpauth URI: otpauth:/,
      );
      const key = /Admin key: {3}(\S+)/.exec(banners[0])?.[1] as string;
      const totpSecret = /TOTP secret: (\S+)/.exec(banners[0])?.[1] as string;
      expect(testApp.logs().join('\n')).not.toContain(key);
      expect(testApp.logs().join('\n')).not.toContain(totpSecret);
    });

    it('should not bootstrap on the production stage', async () => {
      const written: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
        written.push(String(chunk));

        return true;
      });
      try {
        const prod = await startTestApp({ ADMIN_BOOTSTRAP: 'true', STAGE: 'prod' });
        await prod.close();
      } finally {
        spy.mockRestore();
      }

      expect(written.filter((text) => text.includes('bootstrap admin key'))).toEqual([]);
    });
  });

  describe('admin key listing and revocation', () => {
    it('should refuse bad pagination parameters and unknown ones, naming each', async () => {
      const response = await testApp.http
        .get('/v1/admin/admin-keys?limit=abc&cursor=zzz&foo=1')
        .set('X-Admin-Key', admin.key)
        .expect(400);

      expect(response.body.code).toBe('validation_failed');
      expect(response.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
        'foo',
        'limit',
      ]);
      const forged = await testApp.http
        .get('/v1/admin/admin-keys?cursor=zzz')
        .set('X-Admin-Key', admin.key)
        .expect(400);
      expect(forged.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
    });

    it('should page through every admin key, newest first, with opaque cursors', async () => {
      await createAdminKey(testApp, 'page-1');
      await createAdminKey(testApp, 'page-2');
      await createAdminKey(testApp, 'page-3');
      const all = (await testApp.app.get(AdminKeysService).list(100)).items.map((key) => key.id);

      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const response = await testApp.http
          .get('/v1/admin/admin-keys')
          .query({ limit: 2, ...(cursor === null ? {} : { cursor }) })
          .set('X-Admin-Key', admin.key)
          .expect(200);
        expect(response.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...response.body.items.map((item: { id: string }) => item.id));
        cursor = response.body.nextCursor as string | null;
      } while (cursor !== null);

      expect(all.length).toBeGreaterThanOrEqual(4);
      expect(seen).toEqual(all);
    });

    it('should refuse blank admin key names and names with control or bidi characters', async () => {
      const headers = adminHeaders({
        ...admin,
        stepUpToken: await issueStepUpToken(testApp, admin),
      });
      for (const name of ['  ', 'a\u0000b', 'a\u0080b', 'ops\u202Dx', 'x\u2067y']) {
        const response = await testApp.http
          .post('/v1/admin/admin-keys')
          .set(headers)
          .send({ name })
          .expect(400);

        expect(response.body.errors).toEqual([{ field: 'name', message: expect.any(String) }]);
      }

      const trimmed = await testApp.http
        .post('/v1/admin/admin-keys')
        .set(headers)
        .send({ name: '  bob-laptop ' })
        .expect(201);
      secrets.push(trimmed.body.key, trimmed.body.totpSecret);
      expect(trimmed.body.name).toBe('bob-laptop');
      await expect(
        testApp.app.get(AdminKeysService).create({ name: ' \u0000 ' }, 'cli', 'test'),
      ).rejects.toMatchObject({ code: 'validation_failed' });
    });

    it('should revoke an admin key idempotently, and answer 404 only for an unknown one', async () => {
      const headers = adminHeaders({
        ...admin,
        stepUpToken: await issueStepUpToken(testApp, admin),
      });
      const victim = await createAdminKey(testApp, 'twice');
      secrets.push(victim.key, victim.totpSecret);

      for (let attempt = 0; attempt < 2; attempt += 1) {
        await testApp.http
          .delete(`/v1/admin/admin-keys/${victim.id}`)
          .set(headers)
          .send({ reason: 'rotated out' })
          .expect(204);
      }
      await testApp.http
        .delete('/v1/admin/admin-keys/adm_doesnotexist')
        .set(headers)
        .send({ reason: 'rotated out' })
        .expect(404);

      const listed = (await testApp.app.get(AdminKeysService).list(100)).items;
      expect(listed.find((key) => key.id === victim.id)).toMatchObject({ status: 'revoked' });
    });
  });

  it('should tag each service log line of an admin or tenant request with that request’s id', async () => {
    const headers = adminHeaders({ ...admin, stepUpToken: await issueStepUpToken(testApp, admin) });
    const created = await testApp.http
      .post('/v1/admin/tenants')
      .set(headers)
      .send({ name: 'Traced tenant' })
      .expect(201);
    const tenantId = created.body.id as string;
    const updated = await testApp.http
      .patch(`/v1/admin/tenants/${tenantId}`)
      .set(headers)
      .send({ plan: 'professional' })
      .expect(200);
    const issued = await testApp.http
      .post(`/v1/admin/tenants/${tenantId}/api-keys`)
      .set(headers)
      .send({ name: 'traced', scopes: ['keys:read', 'keys:write'] })
      .expect(201);
    secrets.push(issued.body.key);
    const selfMade = await testApp.http
      .post('/v1/api-keys')
      .set('X-API-Key', issued.body.key)
      .send({ name: 'traced-self', scopes: ['keys:read'] })
      .expect(201);
    secrets.push(selfMade.body.key);
    const revoked = await testApp.http
      .delete(`/v1/api-keys/${selfMade.body.id}`)
      .set('X-API-Key', issued.body.key)
      .expect(204);
    const requestIdOf = (response: { headers: Record<string, string> }): string =>
      response.headers['x-request-id'];

    const lines = testApp
      .logs()
      .filter((line) => line.includes(tenantId))
      .map((line) => JSON.parse(line) as { context?: string; msg?: string; requestId?: string })
      .filter((entry) => entry.context !== 'AccessLog')
      .map(({ msg, requestId }) => ({ msg, requestId }));
    expect(lines).toEqual(
      expect.arrayContaining([
        { msg: 'Tenant created', requestId: requestIdOf(created) },
        { msg: 'Tenant updated', requestId: requestIdOf(updated) },
        { msg: 'API key created', requestId: requestIdOf(issued) },
        { msg: 'API key created', requestId: requestIdOf(selfMade) },
        { msg: 'API key revoked', requestId: requestIdOf(revoked) },
      ]),
    );
    const requestIds = [created, updated, issued, selfMade, revoked].map(requestIdOf);
    for (const line of lines) {
      expect(requestIds).toContain(line.requestId);
    }
  });
});
