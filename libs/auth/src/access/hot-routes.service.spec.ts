import { CallHandler, Controller, Get, Post, Scope, Type, UseInterceptors } from '@nestjs/common';
import { DiscoveryModule, Reflector } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { RouteOptions } from 'fastify';
import { AdminCredentialVerifier } from '../admin-keys/admin-credential.verifier';
import { ApiKeyAuthGuard } from '../api-keys/api-key-auth.guard';
import { AccessGuard } from './access.guard';
import { Public, TenantRoute } from './access.decorator';
import { HotRoute } from './hot-route.decorator';
import { HotRoutes } from './hot-routes.service';

@Controller('v1/things')
class ThingsController {
  @Get()
  @TenantRoute('tools:read')
  @HotRoute()
  list(): string {
    return '[]';
  }
}

@Controller('v1/posted')
class PostedController {
  @Post()
  @TenantRoute('tools:read')
  @HotRoute()
  create(): string {
    return '{}';
  }
}

@Controller('v1/open')
class OpenController {
  @Get()
  @Public()
  @HotRoute()
  list(): string {
    return '[]';
  }
}

@Controller('v1/intercepted')
class InterceptedController {
  @Get()
  @TenantRoute('tools:read')
  @UseInterceptors({ intercept: (_context: unknown, next: CallHandler) => next.handle() })
  @HotRoute()
  list(): string {
    return '[]';
  }
}

@Controller({ path: 'v1/scoped', scope: Scope.REQUEST })
class ScopedController {
  @Get()
  @TenantRoute('tools:read')
  @HotRoute()
  list(): string {
    return '[]';
  }
}

@Controller(['v1/one', 'v1/other'])
class AliasedController {
  @Get()
  @TenantRoute('tools:read')
  @HotRoute()
  list(): string {
    return '[]';
  }
}

async function hotRoutesOf(controller: Type): Promise<HotRoutes> {
  const module = await Test.createTestingModule({
    imports: [DiscoveryModule],
    controllers: [controller],
    providers: [
      HotRoutes,
      {
        // Only the route rules are read here; no credential is verified.
        provide: AccessGuard,
        useFactory: () =>
          new AccessGuard(
            new Reflector(),
            undefined as unknown as ApiKeyAuthGuard,
            undefined as unknown as AdminCredentialVerifier,
          ),
      },
    ],
  }).compile();

  return module.get(HotRoutes);
}

const route = (method: string, url: string): RouteOptions => ({
  method,
  url,
  handler: () => undefined,
});

describe(HotRoutes.name, () => {
  it('should add the fast answer to the GET route of a hot handler, after its own hooks', async () => {
    const hotRoutes = await hotRoutesOf(ThingsController);
    const own = (): void => undefined;
    const get = { ...route('GET', '/v1/things'), onRequest: own };
    const head = route('HEAD', '/v1/things');
    const other = route('GET', '/v1/others');

    for (const options of [get, head, other]) {
      hotRoutes.attach(options);
    }

    expect(get.onRequest).toEqual([own, expect.any(Function)]);
    expect(head.onRequest).toBeUndefined();
    expect(other.onRequest).toBeUndefined();
    expect(() => hotRoutes.assertAttached()).not.toThrow();
  });

  it('should fail at boot when a hot handler matched no registered route', async () => {
    const hotRoutes = await hotRoutesOf(ThingsController);

    hotRoutes.attach(route('GET', '/v1/thing'));

    expect(() => hotRoutes.assertAttached()).toThrow(
      '@HotRoute() on ThingsController.list (GET /v1/things) matched no registered route',
    );
  });

  it.each([
    ['a POST route', PostedController, 'only GET routes can be hot'],
    ['a public route', OpenController, 'only tenant routes can be hot'],
    ['a route with its own interceptor', InterceptedController, 'it declares __interceptors__'],
    [
      'a route of a request-scoped controller',
      ScopedController,
      'its controller is request-scoped',
    ],
    ['a route under several paths', AliasedController, 'a hot route needs one path'],
  ])('should refuse %s at boot', async (_what, controller, why) => {
    const hotRoutes = await hotRoutesOf(controller);

    expect(() => hotRoutes.attach(route('GET', '/v1/anything'))).toThrow(why);
  });
});
