import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { Socket, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDB } from '@aws-sdk/client-dynamodb';
import { EmbeddedDynamo, TABLE_DEFINITIONS } from '@app/dynamo';
import { freePort } from './support/database-server';
import { currentOtp } from './support/identity-fixtures';

// The bundle is what `npm start`, the image and the benchmark run.
const MAIN = resolve(__dirname, '../dist/bundle/main.js');

interface RunningServer {
  child: ChildProcess;
  dataDir: string;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

async function startServer(dataDir: string): Promise<RunningServer> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [MAIN], {
    // The server reads .env from its working directory: one in the repository must not leak in.
    cwd: dataDir,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'info',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));

  const deadline = Date.now() + 30000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      if (response.status === 200) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not become ready:\n${output}`);
    }
    await new Promise((resolveWait) => setTimeout(resolveWait, 100));
  }

  return { child, dataDir, port, output: () => output, exited };
}

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'dcs-lifecycle-'));
}

async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Steps up with the bootstrap admin key the server printed; answers headers for mutations. */
async function bootstrapAdminHeaders(server: RunningServer): Promise<Record<string, string>> {
  const key = /Admin key: +(\S+)/.exec(server.output())?.[1] ?? '';
  const totpSecret = /TOTP secret: +(\S+)/.exec(server.output())?.[1] ?? '';
  const stepUp = await postJson(
    `http://127.0.0.1:${server.port}/v1/admin/step-up`,
    { otp: currentOtp({ id: 'bootstrap', key, totpSecret }) },
    { 'x-admin-key': key },
  );

  return { 'x-admin-key': key, 'x-admin-step-up': String(stepUp.body.token) };
}

/** The invocation records of a tenant in an embedded database at rest, read after its server exited. */
async function readInvocations(dataDir: string, tenantId: string): Promise<unknown[]> {
  const database = await EmbeddedDynamo.start(dataDir);
  const client = new DynamoDB({
    endpoint: database.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    const { Items = [] } = await client.query({
      TableName: `dcisionai-dev-${TABLE_DEFINITIONS.invocations.name}`,
      KeyConditionExpression: 'tenantId = :tenantId',
      ExpressionAttributeValues: { ':tenantId': { S: tenantId } },
    });

    return Items;
  } finally {
    client.destroy();
    await database.stop();
  }
}

function sendPartialRequest(port: number): Promise<Socket> {
  return new Promise((resolveSocket) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(
        'POST /health/live HTTP/1.1\r\nHost: localhost\r\n' +
          'Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{',
      );
      resolveSocket(socket);
    });
  });
}

describe('Process lifecycle', () => {
  beforeAll(() => {
    if (!existsSync(MAIN)) {
      throw new Error(`${MAIN} is missing: run npm run build before the e2e suites`);
    }
  });

  it('should drain an in-flight request on SIGTERM and exit 0', async () => {
    const server = await startServer(freshDir());
    const socket = await sendPartialRequest(server.port);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    const closed = new Promise<void>((resolveClose) => socket.once('close', () => resolveClose()));
    // Let the server read the request's headers, so it is in flight when the signal comes.
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));

    server.child.kill('SIGTERM');
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    socket.end('}');
    await closed;

    expect(answer).toMatch(/^HTTP\/1\.1 405/);
    expect(await server.exited).toBe(0);
  });

  it('should exit 1 at once on a second signal while a request still drains', async () => {
    const server = await startServer(freshDir());
    const socket = await sendPartialRequest(server.port);
    await new Promise((resolveWait) => setTimeout(resolveWait, 500));

    server.child.kill('SIGINT');
    await new Promise((resolveWait) => setTimeout(resolveWait, 300));
    const secondSignalAt = Date.now();
    server.child.kill('SIGINT');
    const code = await server.exited;
    socket.destroy();

    expect(code).toBe(1);
    expect(Date.now() - secondSignalAt).toBeLessThan(2000);
  });

  it('should write a log line without waiting for more lines to fill the buffer', async () => {
    const server = await startServer(freshDir());
    const requestId = `lifecycle-log-${Date.now()}`;

    // Refused for want of a key, and logged like any answer.
    await fetch(`http://127.0.0.1:${server.port}/v1/tools`, {
      headers: { 'x-request-id': requestId },
    });
    const deadline = Date.now() + 5000;
    while (!server.output().includes(requestId) && Date.now() < deadline) {
      await new Promise((resolveWait) => setTimeout(resolveWait, 50));
    }
    server.child.kill('SIGTERM');

    expect(server.output()).toContain(`"requestId":"${requestId}"`);
    expect(await server.exited).toBe(0);
  });

  it('should write the lines still waiting in the log buffer when it exits', async () => {
    const server = await startServer(freshDir());

    // Nothing is in flight, so the process exits well within the buffer's wait.
    server.child.kill('SIGTERM');
    const code = await server.exited;

    expect(code).toBe(0);
    expect(server.output()).toContain('Shutting down: draining in-flight requests');
  });

  it('should print a bootstrap admin key once and keep data across restarts', async () => {
    const first = await startServer(freshDir());
    const adminKey = /Admin key: +(\S+)/.exec(first.output())?.[1] ?? '';
    const totpSecret = /TOTP secret: +(\S+)/.exec(first.output())?.[1] ?? '';
    const admin = { id: 'bootstrap', key: adminKey, totpSecret };
    const base = `http://127.0.0.1:${first.port}`;
    const stepUp = await postJson(
      `${base}/v1/admin/step-up`,
      { otp: currentOtp(admin) },
      {
        'x-admin-key': adminKey,
      },
    );
    const created = await postJson(
      `${base}/v1/admin/tenants`,
      { name: 'Persisted Ltd' },
      {
        'x-admin-key': adminKey,
        'x-admin-step-up': String(stepUp.body.token),
      },
    );
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServer(first.dataDir);
    const tenant = await fetch(
      `http://127.0.0.1:${second.port}/v1/admin/tenants/${String(created.body.id)}`,
      {
        headers: { 'x-admin-key': adminKey },
      },
    );
    second.child.kill('SIGTERM');

    expect(stepUp.status).toBe(200);
    expect(created.status).toBe(201);
    expect(tenant.status).toBe(200);
    expect(((await tenant.json()) as { name: string }).name).toBe('Persisted Ltd');
    expect(second.output()).not.toContain('Admin key:');
    expect(second.output()).not.toContain('Created missing DynamoDB table');
    expect(await second.exited).toBe(0);
  });

  it('should write the invocation record of a request answered just before SIGTERM', async () => {
    const server = await startServer(freshDir());
    const base = `http://127.0.0.1:${server.port}`;
    const admin = await bootstrapAdminHeaders(server);
    const tenant = await postJson(`${base}/v1/admin/tenants`, { name: 'Recorded Ltd' }, admin);
    const tenantId = String(tenant.body.id);
    const apiKey = await postJson(
      `${base}/v1/admin/tenants/${tenantId}/api-keys`,
      { name: 'recorder', scopes: ['tools:read', 'tools:invoke'] },
      admin,
    );

    // The record waits in the recorder's buffer; only the shutdown flush can write it.
    const invoked = await postJson(
      `${base}/v1/tools/get_workflow_templates/invoke`,
      { input: {} },
      { 'x-api-key': String(apiKey.body.key) },
    );
    server.child.kill('SIGTERM');
    const code = await server.exited;
    const records = await readInvocations(server.dataDir, tenantId);

    expect(invoked.status).toBe(200);
    expect(code).toBe(0);
    expect(server.output()).not.toContain('Invocation records not written');
    expect(records).toEqual([
      expect.objectContaining({
        tenantId: { S: tenantId },
        tool: { S: 'get_workflow_templates' },
        status: { S: 'succeeded' },
      }),
    ]);
  });

  it('should read .env from its working directory, the environment taking precedence', async () => {
    const dataDir = freshDir();
    // PORT is also in the environment: were the file to win, the server would not be found.
    writeFileSync(join(dataDir, '.env'), 'DOCS_ENABLED=false\nPORT=1\n');
    const server = await startServer(dataDir);

    const docs = await fetch(`http://127.0.0.1:${server.port}/docs-json`);
    server.child.kill('SIGTERM');

    expect(docs.status).toBe(404);
    expect(await server.exited).toBe(0);
  });
});
