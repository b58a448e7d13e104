import { RouteMethods } from './route-methods.registry';

describe(RouteMethods.name, () => {
  const routes = new RouteMethods();
  routes.add('/v1/tools', ['GET', 'HEAD']);
  routes.add('/v1/tools/:name/invoke', 'POST');
  routes.add('/v1/tools/:name', 'GET');

  it('should list the methods of a path that matches a parameterised route', () => {
    expect(routes.allowedFor('/v1/tools/solve_optimization/invoke')).toEqual(['POST']);
    expect(routes.allowedFor('/v1/tools/solve_optimization')).toEqual(['GET']);
  });

  it('should merge methods registered separately for one pattern', () => {
    routes.add('/v1/tools', 'POST');

    expect(routes.allowedFor('/v1/tools')).toEqual(['GET', 'HEAD', 'POST']);
  });

  it('should return nothing for an unknown path', () => {
    expect(routes.allowedFor('/v1/unknown')).toEqual([]);
    expect(routes.allowedFor('/v1/tools/a/b/c')).toEqual([]);
  });

  it('should ignore catch-all routes such as the CORS preflight handler', () => {
    routes.add('*', 'OPTIONS');

    expect(routes.allowedFor('/v1/unknown')).toEqual([]);
  });

  it('should treat regular expression characters in paths literally', () => {
    routes.add('/docs.json', 'GET');

    expect(routes.allowedFor('/docsxjson')).toEqual([]);
  });
});
