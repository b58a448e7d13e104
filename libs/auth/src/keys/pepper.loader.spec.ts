import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PepperLoader } from './pepper.loader';

describe(PepperLoader.name, () => {
  it('should prefer the configured pepper', () => {
    const pepper = new PepperLoader().load('c'.repeat(32), mkdtempSync(join(tmpdir(), 'pep-')));

    expect(pepper.toString()).toBe('c'.repeat(32));
  });

  it('should generate a pepper once, owner-only, and reuse it on the next start', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pep-'));

    const first = new PepperLoader().load(undefined, dataDir);
    const second = new PepperLoader().load(undefined, dataDir);

    expect(first.equals(second)).toBe(true);
    expect(first.length).toBeGreaterThanOrEqual(32);
    expect(statSync(join(dataDir, 'api-key-pepper')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dataDir, 'api-key-pepper'), 'utf8').trim()).toBe(first.toString());
  });
});
