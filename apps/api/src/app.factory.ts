import { Socket } from 'node:net';
import cors from '@fastify/cors';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger as PinoNestLogger } from 'nestjs-pino';
import { DestinationStream } from 'pino';
import { HotRoutes } from '@app/auth';
import { AppConfigValues } from '@app/config';
import { DynamoConnection } from '@app/dynamo';
import {
  createServiceLoggers,
  createValidationPipe,
  apiSecurityHeaders,
  helmetHeaders,
  ProblemFilter,
  registerJsonBodyParser,
  registerRequestHooks,
  resolveRequestId,
  RouteMethods,
  sendClientErrorProblem,
  sendFrameworkProblem,
  withProblemResponses,
} from '@app/observability';
import { AppModule } from './app.module';
import { readServiceVersion } from './service-version.reader';

export interface CreateAppOptions {
  /** Where log lines go; stdout by default. */
  logDestination?: DestinationStream;
}

/** Builds the whole HTTP application, initialised but not listening. */
export async function createApp(
  config: AppConfigValues,
  options: CreateAppOptions = {},
): Promise<NestFastifyApplication> {
  const version = readServiceVersion();
  const { logger, accessLog } = createServiceLoggers(config, {
    destination: options.logDestination,
    version,
  });
  // Problems are API answers wherever they arise; the docs pages get helmet's document headers.
  const responseHeaders = apiSecurityHeaders();
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    genReqId: resolveRequestId,
    requestIdHeader: false,
    // Requests arriving while draining get a problem+json 503 from the request hooks instead.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // No Nest middleware is used: middie's hook would run on every request for nothing. A
    // middleware added later fails the boot (no `use`), rather than being skipped.
    skipMiddie: true,
    clientErrorHandler: (error: Error, socket: Socket) =>
      sendClientErrorProblem(error, socket, responseHeaders),
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) =>
      sendFrameworkProblem(error, request, reply, responseHeaders),
  });
  const fastify = adapter.getInstance();
  const routes = new RouteMethods();
  fastify.addHook('onRoute', (route) => routes.add(route.url, route.method));
  registerRequestHooks(fastify, accessLog, { api: responseHeaders, docs: helmetHeaders() });
  registerJsonBodyParser(fastify);

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, logger),
    adapter,
    // Body parsing is registered above: JSON only, with a depth limit.
    { bufferLogs: true, abortOnError: false, bodyParser: false },
  );
  app.useLogger(app.get(PinoNestLogger));
  app.flushLogs();
  // Nest registers its routes in init(), below; the hot ones get their fast answer then.
  const hotRoutes = app.get(HotRoutes);
  fastify.addHook('onRoute', (route) => hotRoutes.attach(route));

  if (config.corsOrigins.length > 0) {
    const allowed = new Set(config.corsOrigins);
    await app.register(cors, {
      // Requests without an Origin header are not cross-origin; 'null' origins are refused.
      origin: (origin, callback) => callback(null, origin === undefined || allowed.has(origin)),
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE'],
      // Browsers hide non-safelisted headers from scripts; the dashboard quotes the request id
      // in support requests and honours retry hints.
      exposedHeaders: ['x-request-id', 'retry-after', 'allow'],
      // A bare OPTIONS (no preflight headers) would otherwise get a text/plain 400.
      strictPreflight: false,
      maxAge: 600,
    });
  }

  app.useGlobalFilters(new ProblemFilter(routes));
  app.useGlobalPipes(createValidationPipe());
  if (config.docsEnabled) {
    setUpDocs(app, version);
  }

  await app.init();
  hotRoutes.assertAttached();
  closeDatabaseLast(app);

  return app;
}

/**
 * `app.close()` drains the HTTP server, then runs every module's shutdown hooks, and some of
 * those still write (the invocation recorder flushes its buffer). The database closes after all
 * of them, whatever order Nest picks between modules, for main.ts and the tests alike.
 */
function closeDatabaseLast(app: NestFastifyApplication): void {
  const connection = app.get(DynamoConnection);
  const closeApp = app.close.bind(app);

  app.close = async (): Promise<void> => {
    try {
      await closeApp();
    } finally {
      await connection.close();
    }
  };
}

function setUpDocs(app: NestFastifyApplication, version: string): void {
  const config = new DocumentBuilder()
    .setTitle('DcisionAI Platform API')
    .setDescription('Decision tools (optimization solving and its companions) over HTTP and MCP.')
    .setVersion(version)
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-API-Key' }, 'apiKey')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Admin-Key' }, 'adminKey')
    .build();

  // A factory: the document is built on the first request for it, not at boot, where scanning
  // every route would add to the cold start.
  SwaggerModule.setup(
    'docs',
    app,
    () => withProblemResponses(SwaggerModule.createDocument(app, config)),
    // JSON only: an empty yamlDocumentUrl counts as unset and still serves /docs-yaml.
    { raw: ['json'], jsonDocumentUrl: 'docs-json' },
  );
}
