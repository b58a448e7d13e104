'use strict';

/**
 * Bundles the compiled service (dist/apps/api/src/main.js, from `nest build`) into one file,
 * dist/bundle/service.js, started by dist/bundle/main.js (scripts/bundle-launcher.js), which
 * `npm start`, the image and the benchmark run. A fresh instance then reads one file instead of
 * resolving and reading some two thousand modules, and loads V8's code cache for it
 * (service.js.cache) instead of compiling it: together most of its start-up time. The compiled
 * output is bundled rather than the TypeScript so that the decorator metadata Nest relies on is
 * exactly what tsc emitted.
 *
 * Packages that find files of their own at run time stay outside and load from node_modules:
 * worker scripts (piscina, thread-stream for pino's transports), WebAssembly (highs), static
 * assets (Swagger UI), native addons (dynalite's leveldb), and the MCP SDK, which loads on the
 * first /mcp request.
 */
const { spawn } = require('node:child_process');
const {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} = require('node:fs');
const { get } = require('node:http');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join, resolve } = require('node:path');
const Module = require('node:module');
const { Script } = require('node:vm');
const acorn = require('acorn');
const esbuild = require('esbuild');

const ROOT = resolve(__dirname, '..');
const ENTRY = join(ROOT, 'dist', 'apps', 'api', 'src', 'main.js');
const OUT_DIR = join(ROOT, 'dist', 'bundle');
const WORKER = join(ROOT, 'libs', 'tools', 'src', 'solver', 'highs.worker.js');
const LAUNCHER = join(__dirname, 'bundle-launcher.js');
const SERVICE = join(OUT_DIR, 'service.js');
const CACHE = `${SERVICE}.cache`;
/** How long the warm-up start may take before the build keeps the compile-only cache. */
const WARM_UP_TIMEOUT_MS = 60000;

const EXTERNAL = [
  'piscina',
  'highs',
  // pino itself is bundled: its one transport here (pino-pretty on a terminal) is resolved from
  // the bundle's own path and runs in thread-stream's worker, which stays outside.
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

/**
 * An esbuild plugin that rewrites one construct in the files `filter` matches. The build fails
 * when a file does not hold `find` exactly once: the package changed, and the rewrite must be
 * looked at again rather than silently skipped.
 */
function sourcePatch(name, filter, find, replacement) {
  const everywhere = new RegExp(find.source, 'g');

  return {
    name,
    setup(build) {
      build.onLoad({ filter }, (args) => {
        const code = readFileSync(args.path, 'utf8');
        if ((code.match(everywhere) ?? []).length !== 1) {
          throw new Error(
            `${args.path} no longer has the code ${name} rewrites; update it in scripts/bundle.js`,
          );
        }

        return { contents: code.replace(find, replacement), loader: 'js' };
      });
    },
  };
}

/**
 * Nest's ConsoleLogger and Logger each build an Intl.DateTimeFormat when their module loads,
 * which initialises ICU: about 20 ms of every cold start, for timestamps this service never
 * prints (nestjs-pino replaces Nest's logger). The formatters are built on first use instead.
 */
const lazyConsoleLoggerClock = sourcePatch(
  'lazy-console-logger-clock',
  /@nestjs[\\/]common[\\/]services[\\/](console-)?logger\.service\.js$/,
  /const dateTimeFormatter = (new Intl\.DateTimeFormat\([^;]*\));/,
  'let dateTimeFormatterBuilt;\nconst dateTimeFormatter = { format: (time) => (dateTimeFormatterBuilt ??= $1).format(time) };',
);

/**
 * Fastify runs every body parser's callback in an AsyncResource made with `resource.bind`,
 * which on Node 20 also defines a deprecated `asyncResource` getter through util.deprecate on
 * each call: about a tenth of a small POST's own CPU. Calling `runInAsyncScope` in a closure
 * keeps the async context exactly (the callback never reads `this`), without that cost.
 */
const cheapBodyParserScope = sourcePatch(
  'cheap-body-parser-scope',
  /[\\/]fastify[\\/]lib[\\/]content-type-parser\.js$/,
  /const done = resource\.bind\(onDone\)/,
  'const done = (error, body) => resource.runInAsyncScope(onDone, undefined, error, body)',
);

/**
 * The bundle's rewrites after esbuild, on one parse of its text: dropping calls removes only
 * ASCII text, so the templates checked there are those of the result; escaping moves offsets,
 * so it comes last.
 */
function rewriteBundle(bundled) {
  const code = cheapNames(bundled);
  const ast = acorn.parse(code, { ecmaVersion: 'latest', sourceType: 'script' });

  assertAsciiTaggedTemplates(code, ast);

  return asciiOnly(dropInferredNames(code, ast));
}

/**
 * keepNames wraps every named function in `__name(fn, "fn")`, closures created per request
 * included, and the helper redefines `name` each time, which cost about a tenth of a simple
 * request. Two rewrites remove that cost without changing any name:
 * - where the call is the whole value of `const fn =`, `fn =` or a property `fn:`, the language
 *   itself names an anonymous function or class `fn`, so the call is dropped (Fastify creates
 *   one such closure per response);
 * - the helper skips functions whose name is already right, which is nearly all the others.
 */
function cheapNames(code) {
  const helper =
    'var __name = (target, value) => __defProp(target, "name", { value, configurable: true });';
  const cheap =
    'var __name = (target, value) => target.name === value ? target : __defProp(target, "name", { value, configurable: true });';
  if (!code.includes(helper)) {
    throw new Error(
      'the esbuild __name helper changed shape; update cheapNames in scripts/bundle.js',
    );
  }

  return code.replace(helper, cheap);
}

/**
 * Escapes the few non-ASCII characters packages leave in the bundle (locale regular expressions
 * mostly), so that the launcher can read it as latin1: a one-byte string read in a quarter of the
 * time UTF-8 decoding takes, and half the memory. `\uXXXX` means the same character in strings,
 * regular expressions, identifiers and untagged templates; a tagged template would see its raw
 * text change, so one holding such a character fails the build instead.
 */
function asciiOnly(code) {
  // A backslash before the character escaped it (`\é` is `é`): the escape replaces both.
  return code.replace(/(\\*)([\u0080-\uffff])/g, (_match, slashes, char) => {
    const unicode = `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

    return (slashes.length % 2 === 1 ? slashes.slice(1) : slashes) + unicode;
  });
}

/** The one place escaping would change meaning: a tagged template sees its raw text. */
function assertAsciiTaggedTemplates(code, ast) {
  visit(ast, undefined, (node) => {
    if (
      node.type === 'TaggedTemplateExpression' &&
      /[\u0080-\uffff]/.test(code.slice(node.quasi.start, node.quasi.end))
    ) {
      throw new Error(`a tagged template at offset ${node.quasi.start} holds non-ASCII text`);
    }
  });
}

/**
 * Removes the `__name(fn, "x")` calls whose function the language names x anyway. No line is
 * added or removed, so the source map still points at the right lines (columns after a dropped
 * call shift by its length).
 */
function dropInferredNames(code, ast) {
  const drops = [];
  visit(ast, undefined, (node, parent) => {
    const named = nameCall(node);
    if (named !== undefined && namesItsValue(parent, node, named.name)) {
      drops.push({ start: node.start, end: node.end, keep: named.fn });
    }
  });
  drops.sort((x, y) => x.start - y.start);

  // Calls nest (a named closure inside another): each kept function is written with the drops
  // inside it applied too.
  let next = 0;
  const render = (from, to) => {
    let out = '';
    let at = from;
    while (next < drops.length && drops[next].start < to) {
      const drop = drops[next++];
      out += code.slice(at, drop.start) + render(drop.keep.start, drop.keep.end);
      at = drop.end;
    }

    return out + code.slice(at, to);
  };

  return render(0, code.length);
}

/** `__name(<anonymous function or class>, "x")` as its function and x. */
function nameCall(node) {
  if (
    node.type !== 'CallExpression' ||
    node.callee.type !== 'Identifier' ||
    node.callee.name !== '__name' ||
    node.arguments.length !== 2
  ) {
    return undefined;
  }

  const [fn, name] = node.arguments;
  const anonymous =
    fn.type === 'ArrowFunctionExpression' ||
    ((fn.type === 'FunctionExpression' || fn.type === 'ClassExpression') && fn.id === null);
  if (!anonymous || name.type !== 'Literal' || typeof name.value !== 'string') {
    return undefined;
  }

  return { fn, name: name.value };
}

/** Whether the spec's NamedEvaluation gives the value in this position the name `name`. */
function namesItsValue(parent, node, name) {
  if (parent === undefined) {
    return false;
  }
  if (parent.type === 'VariableDeclarator') {
    return parent.init === node && parent.id.type === 'Identifier' && parent.id.name === name;
  }
  if (parent.type === 'AssignmentExpression') {
    return (
      parent.operator === '=' &&
      parent.right === node &&
      parent.left.type === 'Identifier' &&
      parent.left.name === name
    );
  }
  if (parent.type === 'Property') {
    // `__proto__: value` sets the prototype rather than naming anything.
    return (
      name !== '__proto__' &&
      parent.kind === 'init' &&
      !parent.computed &&
      !parent.method &&
      parent.value === node &&
      (parent.key.type === 'Identifier' ? parent.key.name : parent.key.value) === name
    );
  }

  return false;
}

/** Every node of an acorn tree with its parent, depth first, without recursion limits. */
function visit(root, rootParent, callback) {
  const stack = [[root, rootParent]];
  while (stack.length > 0) {
    const [node, parent] = stack.pop();
    callback(node, parent);
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (Array.isArray(value)) {
        for (const child of value) {
          if (child !== null && typeof child.type === 'string') {
            stack.push([child, node]);
          }
        }
      } else if (value !== null && typeof value === 'object' && typeof value.type === 'string') {
        stack.push([value, node]);
      }
    }
  }
}

function freePort() {
  return new Promise((resolvePort, rejectPort) => {
    const server = createServer();
    server.once('error', rejectPort);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/**
 * Starts the bundle once on a throwaway embedded database and keeps the code cache it writes
 * after starting, which then also holds the functions compiled on the way to listening.
 */
async function warmUp() {
  const dataDir = mkdtempSync(join(tmpdir(), 'dcisionai-warm-up-'));
  const output = join(dataDir, 'service.js.cache');
  // Set, even empty, so that no .env file fills them in: the warm-up must never reach a real
  // database or bootstrap an admin key there. It also runs in its own directory, away from any .env.
  const env = {
    ...process.env,
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    STAGE: 'dev',
    LOG_LEVEL: 'silent',
    CODE_CACHE_OUT: output,
    DYNAMODB_ENDPOINT: '',
    TABLE_PREFIX: '',
    API_KEY_PEPPER: '',
    ADMIN_BOOTSTRAP: 'false',
    AWS_LAMBDA_FUNCTION_NAME: '',
  };

  const child = spawn(process.execPath, [join(OUT_DIR, 'main.js')], {
    env,
    cwd: dataDir,
    stdio: 'ignore',
  });
  const deadline = Date.now() + WARM_UP_TIMEOUT_MS;
  try {
    await serveFirstRequests(env.PORT, child, deadline);
    while (!existsSync(output) && child.exitCode === null && Date.now() < deadline) {
      await new Promise((wait) => setTimeout(wait, 100));
    }
    if (!existsSync(output)) {
      process.stderr.write('Code cache warm-up did not finish; keeping the compile-only cache\n');

      return false;
    }

    copyFileSync(output, CACHE);

    return true;
  } finally {
    child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The requests a fresh instance answers first: a probe, and a tenant route without a key (the
 * guard's refusal, the problem filter, the hot route's hook). Served before the cache is written,
 * the functions they run come compiled from it instead of being compiled on a first request.
 */
async function serveFirstRequests(port, child, deadline) {
  const status = (path) =>
    new Promise((resolveStatus) => {
      const request = get({ host: '127.0.0.1', port, path }, (response) => {
        response.resume();
        resolveStatus(response.statusCode);
      });
      request.on('error', () => resolveStatus(undefined));
    });

  while (child.exitCode === null && Date.now() < deadline) {
    if ((await status('/health/live')) === 200) {
      await status('/v1/tools');

      return;
    }

    await new Promise((wait) => setTimeout(wait, 20));
  }
}

async function main() {
  rmSync(OUT_DIR, { recursive: true, force: true });
  mkdirSync(OUT_DIR, { recursive: true });

  await esbuild.build({
    entryPoints: [ENTRY],
    outfile: SERVICE,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: EXTERNAL,
    plugins: [optionalPackages, lazyConsoleLoggerClock, cheapBodyParserScope],
    // Bundling turns self-referencing classes into `var X = class _X`, so without keepNames
    // class names (Nest's log contexts, error names) would change. See cheapNames below.
    keepNames: true,
    minifyWhitespace: false,
    sourcemap: 'linked',
    legalComments: 'linked',
    logLevel: 'warning',
  });

  writeFileSync(SERVICE, rewriteBundle(readFileSync(SERVICE, 'utf8')));

  // The solver pool looks for its worker beside the code that starts it.
  copyFileSync(WORKER, join(OUT_DIR, 'highs.worker.js'));
  copyFileSync(LAUNCHER, join(OUT_DIR, 'main.js'));

  // A cache of the compiled top level first, so a failed warm-up still leaves a useful one.
  writeFileSync(CACHE, new Script(Module.wrap(readFileSync(SERVICE, 'latin1'))).createCachedData());
  const warmed = await warmUp();

  const size = statSync(SERVICE).size;
  const cache = statSync(CACHE).size;
  process.stdout.write(
    `Bundled the service into dist/bundle/service.js (${(size / 1e6).toFixed(1)} MB), ` +
      `code cache ${(cache / 1e6).toFixed(1)} MB (${warmed ? 'after a start' : 'compile only'})\n`,
  );
}

main().catch((error) => {
  process.stderr.write(`Bundling failed: ${error instanceof Error ? error.message : error}\n`);
  process.exit(1);
});
