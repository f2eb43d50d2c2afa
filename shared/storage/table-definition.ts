/**
 * The single table's shape, read by the CDK stack and by the local stack so both create the same
 * table. Attribute names only: every key value is built in keys.ts.
 */
export const TABLE_DEFINITION = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  timeToLiveAttribute: 'expiresAt',
} as const;
