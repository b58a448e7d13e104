import { SetMetadata } from '@nestjs/common';

export const HOT_ROUTE_KEY = 'dcisionai:hot-route';

/**
 * Marks a GET route of a tenant controller as answered before Nest's pipeline when its caller is
 * known from memory (see HotRoutes), which saves about a third of the route's cost. The handler
 * must take `(request, reply)` (as `@Req()` and `@Res({ passthrough: true })`), answer its body
 * synchronously and change nothing: a request it throws for is handled again the usual way.
 */
export function HotRoute(): MethodDecorator {
  return SetMetadata(HOT_ROUTE_KEY, true);
}
