'use strict';

/**
 * Bundles the compiled service (dist/apps/api/src/main.js, from `nest build`) into one file,
 * dist/bundle/main.js, which `npm start`, the image and the benchmark run. A fresh instance
 * then reads one file instead of resolving and reading some two thousand modules, which was
 * most of its start-up time. The compiled output is bundled rather than the TypeScript so that
 * the decorator metadata Nest relies on is exactly what tsc emitted.
 *
 * Packages that find files of their own at run time stay outside and load from node_modules:
 * worker scripts (piscina, pino transports), WebAssembly (highs), static assets (Swagger UI),
 * native addons (dynalite's leveldb), and the MCP SDK, which loads on the first /mcp request.
 */
const { copyFileSync, mkdirSync, rmSync, statSync } = require('node:fs');
const { join, resolve } = require('node:path');
const esbuild = require('esbuild');

const ROOT = resolve(__dirname, '..');
const ENTRY = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const OUT_DIR = join(ROOT, 'dist', 'bundle');
const WORKER = join(ROOT, 'libs', 'tools', 'src', 'solver', 'highs.worker.js');

const EXTERNAL = [
  'piscina',
  'highs',
  'pino',
  'pino-pretty',
  'thread-stream',
  'swagger-ui-dist',
  'dynalite',
  '@modelcontextprotocol/sdk',
  'zod',
];

/**
 * Nest and its modules probe optional packages (microservices, websockets, view engines, ORM
 * health indicators) with guarded requires; they are not installed, so they stay requires that
 * fail at run time exactly as they do unbundled.
 */
const optionalPackages = {
  name: 'optional-packages',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) {
        return undefined;
      }
      try {
        require.resolve(args.path, { paths: [args.resolveDir] });

        return undefined;
      } catch {
        return { path: args.path, external: true };
      }
    });
  },
};

async function main() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });

  await esbuild.build({
    entryPoints: [ENTRY],
    outfile: join(OUT_DIR, 'main.js'),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    plugins: [optionalPackages],
    // No keepNames: every CommonJS module keeps its own function scope in the bundle, so no name
    // is renamed, while keepNames would define a name on every closure each time it is created,
    // on the hot path too.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });

  // The solver pool looks for its worker beside the code that starts it.
  copyFileSync(WORKER, join(OUT_DIR, 'highs.worker.js'));

  const size = statSync(join(OUT_DIR, 'main.js')).size;
  process.stdout.write(
    `Bundled the service into dist/bundle/main.js (${(size / 1e6).toFixed(1)} MB)\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`Bundling failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
