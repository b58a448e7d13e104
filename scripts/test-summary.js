// @ts-check
// Sums the jest JSON reports of one `npm test` into a single closing line for CI.
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

const directory = join(__dirname, '..', 'reports');
let passed = 0;
let failed = 0;
for (const file of readdirSync(directory).filter((name) => name.endsWith('.json'))) {
  const report = JSON.parse(readFileSync(join(directory, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
}

process.stdout.write(`jest: ${passed} passed, ${failed} failed\n`);
process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
