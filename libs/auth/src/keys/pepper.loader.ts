import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const PEPPER_FILE = 'api-key-pepper';

/**
 * Finds the server pepper: the configured one, or, outside production, one generated once and
 * kept under the data directory (mode 0600) so that a restart keeps every issued key valid.
 */
export class PepperLoader {
  private readonly logger = new Logger(PepperLoader.name);

  load(configured: string | undefined, dataDir: string): Buffer {
    if (configured !== undefined) {
      return Buffer.from(configured, 'utf8');
    }

    const directory = resolve(dataDir);
    const path = join(directory, PEPPER_FILE);
    mkdirSync(directory, { recursive: true });
    try {
      // 'wx' fails when the file exists, so concurrent first starts agree on one pepper.
      writeFileSync(path, randomBytes(32).toString('base64'), { flag: 'wx', mode: 0o600 });
      chmodSync(path, 0o600);
      this.logger.warn(
        { path },
        'Generated a random API key pepper; set API_KEY_PEPPER to manage it',
      );
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }

    const pepper = readFileSync(path, 'utf8').trim();
    if (pepper.length < 32) {
      throw new Error(`The pepper file ${path} is corrupt; restore it or set API_KEY_PEPPER`);
    }

    return Buffer.from(pepper, 'utf8');
  }
}
