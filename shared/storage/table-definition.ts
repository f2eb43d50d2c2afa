/**
 * The single table's shape, read by the CDK stack and by the local stack so both create the same
 * table. Attribute names only: every key value is built in keys.ts.
 */
export const TABLE_DEFINITION = {
  partitionKey: 'PK',
  sortKey: 'SK',
  globalIndexes: [{ indexName: 'GSI1', partitionKey: 'GSI1PK', sortKey: 'GSI1SK' }],
  timeToLiveAttribute: 'expiresAt',
  /** The stream feeds the edge invalidator with new outbox items. */
  streamView: 'NEW_IMAGE',
  /** Item type attribute and the value that marks an outbox item (the stream filter matches on it). */
  typeAttribute: 'type',
  outboxType: 'outbox',
} as const;
