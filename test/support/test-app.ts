import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { createApp } from '@app/api/app.factory';
import { AppConfigValues, Env, loadConfig } from '@app/config';

/**
 * Log lines of every app started in this test file. nestjs-pino keeps one process-wide logger,
 * so all apps of a file share one capture, which is what secret-leak checks want anyway.
 */
const capturedLogs: string[] = [];
const captureStream = { write: (line: string) => void capturedLogs.push(line) };

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfigValues;
  baseUrl: string;
  /** supertest bound to the listening server: real HTTP over loopback. */
  http: TestAgent;
  /** Every log line written so far in this test file, as raw JSON text. */
  logs(): string[];
  close(): Promise<void>;
}

/** A random table prefix keeps suites, and apps within a suite, from seeing each other's data. */
export function uniqueTablePrefix(): string {
  return `e2e-${randomBytes(5).toString('hex')}-`;
}

/** Boots the real application over HTTP on the e2e database, with the given overrides. */
export async function startTestApp(env: Env = {}): Promise<TestApp> {
  const endpoint = process.env.E2E_DYNAMODB_ENDPOINT;
  if (endpoint === undefined && !('DYNAMODB_ENDPOINT' in env)) {
    throw new Error('E2E_DYNAMODB_ENDPOINT is not set: run through the e2e jest project');
  }

  const config = loadConfig({
    STAGE: 'dev',
    LOG_LEVEL: 'debug',
    DYNAMODB_ENDPOINT: endpoint,
    DYNAMODB_CREATE_TABLES: 'true',
    TABLE_PREFIX: uniqueTablePrefix(),
    DATA_DIR: mkdtempSync(join(tmpdir(), 'dcs-e2e-')),
    API_KEY_PEPPER: randomBytes(32).toString('base64url'),
    ...env,
  });
  const app = await createApp(config, { logDestination: captureStream });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const baseUrl = `http://127.0.0.1:${port}`;

  return {
    app,
    config,
    baseUrl,
    http: request(baseUrl),
    logs: () => [...capturedLogs],
    close: () => app.close(),
  };
}
