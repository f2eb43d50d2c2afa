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
  /** The type of a background job's item: each write of an active one is a step for the job worker (stream filter). */
  jobType: 'job',
  /** The type of a webhook event item: each new one goes to the webhook fan-out (stream filter). */
  webhookEventType: 'webhook-event',
  /** The job item's attribute the stream filter reads (only queued and running jobs reach the worker). */
  jobStateAttribute: 'state',
} as const;
