'use strict';

/**
 * Starts the bundled service (service.js beside this file, copied here as dist/bundle/main.js)
 * from V8's code cache when one fits: compiling the bundle is the largest single step of a cold
 * start, and the cache written at build time (service.js.cache) replaces it with a load. A cache
 * made by another Node or V8 version is rejected by V8 itself, and the bundle compiles as usual.
 *
 * With CODE_CACHE_OUT set, the cache is written there once the server has started, so that it
 * also holds every function compiled on the way; the build does this once.
 */
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { dirname, join } = require('node:path');
const { constants, Script } = require('node:vm');

const SERVICE = join(__dirname, 'service.js');
const CACHE = `${SERVICE}.cache`;
/** Long enough after listening for the deferred start-up work to have compiled too. */
const CACHE_WRITE_DELAY_MS = 1000;

const cachedData = existsSync(CACHE) ? readFileSync(CACHE) : undefined;
// The build escapes every non-ASCII character (asciiOnly in scripts/bundle.js): latin1 reads the
// bundle exactly, several times faster than UTF-8 decoding.
const script = new Script(Module.wrap(readFileSync(SERVICE, 'latin1')), {
  filename: SERVICE,
  cachedData,
  importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});

const output = process.env.CODE_CACHE_OUT;
if (output) {
  // Only the build's warm-up sets this: the cache is written once the service listens, so it
  // holds the whole start, written aside and renamed so that no one reads half of it.
  const { Server } = require('node:net');
  const listen = Server.prototype.listen;
  let timer;
  // The embedded database listens first: each server that starts listening moves the write
  // after it, so it follows the HTTP server, the last to listen.
  Server.prototype.listen = function (...args) {
    this.once('listening', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        writeFileSync(`${output}.partial`, script.createCachedData());
        renameSync(`${output}.partial`, output);
      }, CACHE_WRITE_DELAY_MS);
      timer.unref();
    });

    return listen.apply(this, args);
  };
}

const service = new Module(SERVICE, module);
service.filename = SERVICE;
service.paths = Module._nodeModulePaths(dirname(SERVICE));
script
  .runInThisContext()
  .call(
    service.exports,
    service.exports,
    Module.createRequire(SERVICE),
    service,
    SERVICE,
    __dirname,
  );
