import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { adminHeaders, adminSession } from './support/identity-fixtures';
import { startTestApp, TestApp } from './support/test-app';

const CLI = resolve(__dirname, '../dist/scripts/admin-cli.js');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as an operator would, with the same environment as the service. */
function runCli(testApp: TestApp, args: string[]): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: {
      PATH: process.env.PATH,
      STAGE: testApp.config.stage,
      DYNAMODB_ENDPOINT: testApp.config.dynamodbEndpoint,
      TABLE_PREFIX: testApp.config.tablePrefix,
      API_KEY_PEPPER: testApp.config.apiKeyPepper,
      DATA_DIR: testApp.config.dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  return new Promise((resolveRun) =>
    child.once('exit', (code) => resolveRun({ code, stdout, stderr })),
  );
}

describe('Admin CLI', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    if (!existsSync(CLI)) {
      throw new Error(`${CLI} is missing: run npm run build before the e2e suites`);
    }
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should create an admin key the running service accepts', async () => {
    const run = await runCli(testApp, ['create-key', '--name', 'recovery']);
    const key = /Admin key: +(\S+)/.exec(run.stdout)?.[1] ?? '';

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/TOTP secret: +[A-Z2-7]+/);
    expect(run.stdout).toContain('otpauth://totp/');
    expect(run.stderr).not.toContain(key);
    const listed = await testApp.http
      .get('/v1/admin/admin-keys')
      .set('X-Admin-Key', key)
      .expect(200);
    expect(listed.body.items.map((item: { name: string }) => item.name)).toContain('recovery');
  });

  it('should refuse a malformed CIDR range, storing nothing', async () => {
    const run = await runCli(testApp, ['create-key', '--name', 'fenced', '--cidr', '10.0.0.0/99']);

    const admin = await adminSession(testApp);
    const listed = await testApp.http
      .get('/v1/admin/admin-keys')
      .set(adminHeaders(admin, false))
      .expect(200);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('allowedCidrs');
    expect(listed.body.items.map((item: { name: string }) => item.name)).not.toContain('fenced');
  });

  it('should print its usage and exit 2 for an unknown command', async () => {
    const run = await runCli(testApp, ['delete-everything']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Usage: npm run admin -- create-key');
  });
});
