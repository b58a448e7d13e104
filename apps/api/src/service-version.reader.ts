import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The package version, found by walking up from this file (source, build or bundle). */
export function readServiceVersion(): string {
  let directory = __dirname;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(directory, 'package.json');
    if (existsSync(candidate)) {
      const { version } = JSON.parse(readFileSync(candidate, 'utf8')) as { version?: string };

      return version ?? 'unknown';
    }
    directory = dirname(directory);
  }

  return 'unknown';
}
