/**
 * The methods each registered route pattern answers, so that a request that matched no route
 * can be told apart: an unknown path (404) or a known path with another method (405).
 */
export class RouteMethods {
  private readonly routes: { pattern: RegExp; methods: Set<string> }[] = [];

  add(url: string, methods: string | string[]): void {
    // Catch-all routes (the CORS preflight handler, static files) say nothing about a path.
    if (url.includes('*')) {
      return;
    }

    const pattern = toPattern(url);
    const existing = this.routes.find((route) => route.pattern.source === pattern.source);
    const list = Array.isArray(methods) ? methods : [methods];
    if (existing) {
      list.forEach((method) => existing.methods.add(method));

      return;
    }

    this.routes.push({ pattern, methods: new Set(list) });
  }

  /** Methods the path answers to, empty when no route matches the path at all. */
  allowedFor(path: string): string[] {
    const allowed = new Set<string>();
    for (const route of this.routes) {
      if (route.pattern.test(path)) {
        route.methods.forEach((method) => allowed.add(method));
      }
    }

    return [...allowed].sort();
  }
}

function toPattern(url: string): RegExp {
  const body = url
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        return '[^/]+';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');

  // Exact, like Fastify's router: `/health/live/` is another path, not a wrong method.
  return new RegExp(`^${body}$`);
}
