import './runtime.defaults';
import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { ConfigValidationError, loadConfig } from '@app/config';
import { createApp } from './app.factory';

/** The file `.env.example` is copied to, read from the working directory. */
const ENV_FILE = '.env';

async function main(): Promise<void> {
  // loadEnvFile skips every variable the environment already sets, even to an empty value, so a
  // deployment's own environment always wins over a leftover file.
  if (existsSync(ENV_FILE)) {
    process.loadEnvFile(ENV_FILE);
  }

  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }

    throw error;
  }

  const app = await createApp(config);
  const logger = new Logger('Main');
  let stopping = false;

  // Stop accepting, let in-flight requests finish, close the database, then exit 0. A drain
  // that outlives the timeout exits 1 so the supervisor knows the stop was not clean. A second
  // signal (Ctrl-C pressed again) means the operator will not wait: exit 1 at once.
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      logger.warn({ signal }, 'Second signal while draining; exiting now');
      process.exit(1);
    }

    stopping = true;
    logger.log({ signal }, 'Shutting down: draining in-flight requests');
    const timer = setTimeout(() => {
      logger.error({ signal }, 'Shutdown timed out; exiting with requests still in flight');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen({ port: config.port, host: config.host });
  logger.log(
    { port: config.port, stage: config.stage, docs: config.docsEnabled ? '/docs' : 'off' },
    'DcisionAI Platform API listening',
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
  );
  process.exit(1);
});
