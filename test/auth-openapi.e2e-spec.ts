import { startTestApp, TestApp } from './support/test-app';

interface Operation {
  responses?: Record<string, { content?: Record<string, { schema?: unknown }> }>;
  security?: Record<string, string[]>[];
  description?: string;
  'x-required-scopes'?: string[];
}

type OpenApiDocument = { paths: Record<string, Record<string, Operation>> };

/** The identity and access routes: tenants, API keys, admin keys and step-up. */
const IDENTITY_PATHS = /^\/v1\/(api-keys|admin\/(tenants|admin-keys|step-up))(\/|$)/;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(document: OpenApiDocument): [string, Operation][] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method): [string, Operation] => [
      `${method.toUpperCase()} ${path}`,
      item[method],
    ]),
  );
}

describe('OpenAPI document of identity and access', () => {
  let testApp: TestApp;
  let document: OpenApiDocument;

  beforeAll(async () => {
    testApp = await startTestApp();
    document = (await testApp.http.get('/docs-json').expect(200)).body as OpenApiDocument;
  });

  afterAll(async () => {
    await testApp.close();
  });

  it('should document a 2xx response with a schema for every identity route (204 has no body)', () => {
    const identity = operations(document).filter(([name]) =>
      IDENTITY_PATHS.test(name.split(' ')[1]),
    );
    const undocumented = identity
      .filter(([, operation]) => {
        const success = Object.entries(operation.responses ?? {}).filter(([status]) =>
          /^2\d\d$/.test(status),
        );

        return (
          success.length === 0 ||
          success.some(
            ([status, response]) =>
              status !== '204' && response.content?.['application/json']?.schema === undefined,
          )
        );
      })
      .map(([name]) => name);

    expect(identity.length).toBeGreaterThanOrEqual(20);
    expect(undocumented).toEqual([]);
  });

  it('should describe the views completely: keys, TOTP secrets, pages and step-up tokens', async () => {
    const schemas = (
      (await testApp.http.get('/docs-json').expect(200)).body as {
        components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
      }
    ).components.schemas;
    const propertiesOf = (name: string) => Object.keys(schemas[name]?.properties ?? {});

    expect(propertiesOf('CreatedApiKeyView')).toEqual(expect.arrayContaining(['id', 'key']));
    expect(propertiesOf('CreatedAdminKeyView')).toEqual(
      expect.arrayContaining(['id', 'key', 'totpSecret', 'otpauthUrl']),
    );
    for (const page of ['ApiKeyPageView', 'AdminKeyPageView', 'TenantPageView']) {
      expect(propertiesOf(page)).toEqual(['items', 'nextCursor']);
    }
    expect(propertiesOf('StepUpTokenView')).toEqual(['token', 'expiresIn']);
    expect(propertiesOf('TenantView')).toEqual(
      expect.arrayContaining(['id', 'name', 'status', 'plan', 'settings', 'createdAt']),
    );
  });

  it('should list no scopes in apiKey security requirements, stating them in the operation', () => {
    const tenantOperations = operations(document).filter(([, operation]) =>
      (operation.security ?? []).some((requirement) => 'apiKey' in requirement),
    );
    const withScopes = tenantOperations
      .filter(([, operation]) =>
        (operation.security ?? []).some((requirement) =>
          Object.values(requirement).some((scopes) => scopes.length > 0),
        ),
      )
      .map(([name]) => name);

    expect(tenantOperations.length).toBeGreaterThan(0);
    expect(withScopes).toEqual([]);
    const create = document.paths['/v1/api-keys'].post;
    expect(create['x-required-scopes']).toEqual(['keys:write']);
    expect(create.description).toContain('`keys:write`');
  });
});
