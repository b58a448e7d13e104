export type KeyAttributeType = 'S' | 'N';

export interface KeyAttribute {
  name: string;
  type: KeyAttributeType;
}

export interface GlobalIndexDefinition {
  name: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
}

/**
 * One DynamoDB table as the code needs it: keys, global indexes and TTL attribute. The same
 * definitions create tables at boot here and describe them to infrastructure code.
 */
export interface TableDefinition {
  /** Logical name; the physical name is TABLE_PREFIX + name. */
  name: string;
  hashKey: KeyAttribute;
  rangeKey?: KeyAttribute;
  globalIndexes?: GlobalIndexDefinition[];
  /** Attribute holding an epoch-seconds expiry, removed by DynamoDB's TTL. */
  ttlAttribute?: string;
}
