import '@app/api/runtime.defaults';
import 'reflect-metadata';
import { ConsoleLogger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { parseArgs } from 'node:util';
import { AdminCliModule, AdminKeysService } from '@app/admin';
import { AppException } from '@app/common';
import { loadConfig } from '@app/config';

const USAGE = `Usage: npm run admin -- create-key [--name <name>] [--cidr <range>]...

Creates an admin key in the tables the current environment points at (STAGE, TABLE_PREFIX,
DYNAMODB_ENDPOINT, API_KEY_PEPPER...), and prints the key, its TOTP secret and otpauth URI once.
Use it for the first key in production and for recovery keys.`;

/** Keeps stdout for the credentials alone, so they can be piped; logs go to stderr. */
class StderrLogger extends ConsoleLogger {
  protected override printMessages(
    messages: unknown[],
    context?: string,
    logLevel?: LogLevel,
  ): void {
    super.printMessages(messages, context, logLevel, 'stderr');
  }
}

/** Operator commands run from a shell against the configured tables, with the service's config. */
async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string', default: 'cli' },
      cidr: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true || positionals[0] !== 'create-key') {
    process.stderr.write(`${USAGE}\n`);

    return values.help === true ? 0 : 2;
  }

  const app = await NestFactory.createApplicationContext(
    AdminCliModule.register(loadConfig(process.env)),
    { logger: new StderrLogger('admin-cli', { logLevels: ['error', 'warn', 'log'] }) },
  );
  try {
    const issued = await app
      .get(AdminKeysService)
      .create({ name: values.name ?? 'cli', allowedCidrs: values.cidr }, 'cli', 'cli');
    process.stdout.write(
      [
        `Admin key id: ${issued.record.id}`,
        `Admin key:    ${issued.key}`,
        `TOTP secret:  ${issued.totpSecret}`,
        `otpauth URI:  ${issued.otpauthUrl}`,
        '',
      ].join('\n'),
    );

    return 0;
  } finally {
    await app.close();
  }
}

/** The message, and for a refused input (say, a mistyped --cidr) which field and why. */
function describe(error: unknown): string {
  if (!(error instanceof Error)) {
    return String(error);
  }

  const fields = error instanceof AppException ? (error.errors ?? []) : [];

  return [error.message, ...fields.map((field) => `  ${field.field}: ${field.message}`)].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`admin: ${describe(error)}\n`);
    process.exitCode = 1;
  },
);
