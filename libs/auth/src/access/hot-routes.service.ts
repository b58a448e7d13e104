import { Injectable, RequestMethod } from '@nestjs/common';
import {
  EXCEPTION_FILTERS_METADATA,
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  METHOD_METADATA,
  PATH_METADATA,
  PIPES_METADATA,
} from '@nestjs/common/constants';
import { DiscoveryService, Reflector } from '@nestjs/core';
import { FastifyReply, FastifyRequest, onRequestHookHandler, RouteOptions } from 'fastify';
import { Scope } from '../principal/scope.types';
import { AccessGuard } from './access.guard';
import { HOT_ROUTE_KEY } from './hot-route.decorator';

type HotHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;

interface HotRoute {
  name: string;
  url: string;
  scopes: readonly Scope[];
  answer: HotHandler;
  attached: boolean;
}

/** Metadata that would make Nest's pipeline do more than the access guard and the handler. */
const PIPELINE_METADATA = [
  GUARDS_METADATA,
  INTERCEPTORS_METADATA,
  PIPES_METADATA,
  EXCEPTION_FILTERS_METADATA,
];

/**
 * Answers the routes marked @HotRoute() from a route-level Fastify onRequest hook (after the
 * global ones, so the request id and security headers are set) when the access guard can
 * admit their caller from memory (AccessGuard.admitFromMemory, the very checks of canActivate):
 * Nest's router, execution context and parameter pipeline then never run. Any other request
 * (no key, a key not cached, a refusal, or a handler that throws) goes on to Nest's handler,
 * which runs the guard and the handler again and answers as for any route. The route keeps its
 * controller, access rule and OpenAPI entry; only its fast answer is added here.
 *
 * Boot fails when a hot route is not a tenant GET route, carries its own guards, interceptors,
 * pipes or filters (which the fast answer would skip), or matches no registered route.
 */
@Injectable()
export class HotRoutes {
  private routes: Map<string, HotRoute> | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly guard: AccessGuard,
  ) {}

  /** For Fastify's onRoute hook: adds the fast answer to a hot route as Nest registers it. */
  attach(route: RouteOptions): void {
    if (route.method !== 'GET') {
      return;
    }

    const hot = this.hotRoutes().get(route.url);
    if (hot === undefined) {
      return;
    }

    const existing = route.onRequest;
    const answer = this.fastAnswer(hot);
    route.onRequest =
      existing === undefined
        ? answer
        : [...(Array.isArray(existing) ? existing : [existing]), answer];
    hot.attached = true;
  }

  /** Called once Nest has registered its routes: a hot route that matched none is a bug. */
  assertAttached(): void {
    const missing = [...this.hotRoutes().values()].filter((route) => !route.attached);
    if (missing.length > 0) {
      throw new Error(
        `@HotRoute() on ${missing.map((route) => `${route.name} (GET ${route.url})`).join(', ')} ` +
          'matched no registered route: check its controller and method paths',
      );
    }
  }

  private fastAnswer(hot: HotRoute): onRequestHookHandler {
    const { scopes, answer } = hot;

    const hotAnswer: onRequestHookHandler = (request, reply, done) => {
      if (!this.guard.admitFromMemory(request, scopes)) {
        done();

        return;
      }

      let body: unknown;
      try {
        body = answer(request, reply);
      } catch {
        // Nest's handler throws the same error, which the problem filter answers.
        done();

        return;
      }
      if (body instanceof Promise) {
        // Not a synchronous handler after all: Nest awaits it, and maps its failure, as usual.
        body.catch(() => undefined);
        done();

        return;
      }

      void reply.send(body);
    };

    return hotAnswer;
  }

  private hotRoutes(): Map<string, HotRoute> {
    this.routes ??= this.discover();

    return this.routes;
  }

  private discover(): Map<string, HotRoute> {
    const routes = new Map<string, HotRoute>();
    for (const wrapper of this.discovery.getControllers()) {
      const controller = wrapper.metatype;
      if (controller === null || controller === undefined) {
        continue;
      }

      const prototype = controller.prototype as Record<string, unknown>;
      for (const methodName of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[methodName];
        if (typeof handler !== 'function' || !this.reflector.get(HOT_ROUTE_KEY, handler)) {
          continue;
        }

        // The fast answer calls the one instance; a request-scoped controller has none.
        const instance: unknown = wrapper.isDependencyTreeStatic() ? wrapper.instance : undefined;
        if (typeof instance !== 'object' || instance === null) {
          throw hotRouteError(
            `${controller.name}.${methodName}`,
            'its controller is request-scoped',
          );
        }

        const hot = this.describe(controller, methodName, handler as HotHandler, instance);
        routes.set(hot.url, hot);
      }
    }

    return routes;
  }

  private describe(
    controller: object,
    methodName: string,
    handler: HotHandler,
    instance: object,
  ): HotRoute {
    const name = `${(controller as { name: string }).name}.${methodName}`;
    if (this.reflector.get(METHOD_METADATA, handler) !== RequestMethod.GET) {
      throw hotRouteError(name, 'only GET routes can be hot');
    }
    const rule = this.guard.ruleFor(handler, controller);
    if (rule?.kind !== 'tenant') {
      throw hotRouteError(name, 'only tenant routes can be hot (it admits cached API keys only)');
    }
    for (const key of PIPELINE_METADATA) {
      if (Reflect.hasMetadata(key, handler) || Reflect.hasMetadata(key, controller)) {
        throw hotRouteError(name, `it declares ${key}, which the fast answer would skip`);
      }
    }

    const paths: unknown[] = [
      this.reflector.get(PATH_METADATA, controller as never),
      this.reflector.get(PATH_METADATA, handler),
    ];
    if (
      !paths.every(
        (path): path is string | undefined => path === undefined || typeof path === 'string',
      )
    ) {
      throw hotRouteError(name, 'a hot route needs one path, not a list of them');
    }

    return {
      name,
      url: routeUrl(...paths),
      scopes: rule.scopes,
      answer: (request, reply) => handler.call(instance, request, reply),
      attached: false,
    };
  }
}

function hotRouteError(name: string, why: string): Error {
  return new Error(`@HotRoute() on ${name}: ${why}`);
}

/** The URL Nest registers for a controller path and a method path (no global prefix is set). */
function routeUrl(...paths: (string | undefined)[]): string {
  const parts = paths
    .map((path) => (path ?? '').replace(/^\/+|\/+$/g, ''))
    .filter((path) => path !== '');

  return `/${parts.join('/')}`;
}
