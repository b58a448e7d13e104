import { TableDefinition } from './table-definition.types';

/** Every table of the service. Add a table here and it is created, checked and deployed. */
export const TABLE_DEFINITIONS = {
  tenants: {
    name: 'tenants',
    hashKey: { name: 'id', type: 'S' },
    // Sparse: only listed (not deleted) tenants carry `listing`, so deleted ones drop out.
    globalIndexes: [
      {
        name: 'byListing',
        hashKey: { name: 'listing', type: 'S' },
        rangeKey: { name: 'createdAt', type: 'N' },
      },
    ],
  },
  apiKeys: {
    name: 'api-keys',
    hashKey: { name: 'id', type: 'S' },
    globalIndexes: [
      {
        name: 'byTenant',
        hashKey: { name: 'tenantId', type: 'S' },
        rangeKey: { name: 'createdAt', type: 'N' },
      },
    ],
  },
  adminKeys: {
    name: 'admin-keys',
    hashKey: { name: 'id', type: 'S' },
  },
  stepUpTokens: {
    name: 'step-up-tokens',
    hashKey: { name: 'id', type: 'S' },
    ttlAttribute: 'ttl',
  },
  adminAudit: {
    name: 'admin-audit',
    hashKey: { name: 'id', type: 'S' },
  },
  // One item per tool invocation (REST, MCP, jobs); ids sort by time within a tenant.
  invocations: {
    name: 'tool-invocations',
    hashKey: { name: 'tenantId', type: 'S' },
    rangeKey: { name: 'id', type: 'S' },
  },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLE_DEFINITIONS;

export const ALL_TABLES: readonly TableDefinition[] = Object.values(TABLE_DEFINITIONS);
