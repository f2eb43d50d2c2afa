import { createHash } from 'node:crypto';
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';
import type { EdgeStateUpdate } from '../domain/edge-state.js';
import { EDGE_STATE_ATTRIBUTE } from './outbox-repository.js';
import { TABLE_DEFINITION } from './table-definition.js';

/**
 * CloudFront allows 15 wildcard paths in progress per distribution. A batch with more wildcard
 * paths than this purges everything (`/*` counts as one) rather than failing for an hour.
 */
export const MAX_WILDCARD_PATHS = 10;

/** A DynamoDB stream record as far as the edge-state writer reads it. */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, { S?: string; L?: { S?: string }[] }> };
}

/** The edge state updates of the outbox items in a batch of stream records, in order. */
export function edgeUpdatesFromStreamRecords(records: readonly StreamRecordLike[]): EdgeStateUpdate[] {
  const updates: EdgeStateUpdate[] = [];
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image?.[TABLE_DEFINITION.typeAttribute]?.S !== TABLE_DEFINITION.outboxType) continue;
    const json = image[EDGE_STATE_ATTRIBUTE]?.S;
    if (json) updates.push(...(JSON.parse(json) as EdgeStateUpdate[]));
  }
  return updates;
}

/** The edge paths of the outbox items in a batch of stream records, deduplicated. */
export function pathsFromStreamRecords(records: readonly StreamRecordLike[]): string[] {
  const paths = new Set<string>();
  for (const record of records) {
    const image = record.dynamodb?.NewImage;
    if (record.eventName !== 'INSERT' || image?.[TABLE_DEFINITION.typeAttribute]?.S !== TABLE_DEFINITION.outboxType) continue;
    for (const path of image.paths?.L ?? []) if (path.S) paths.add(path.S);
  }
  return [...paths];
}

/** The paths one invalidation should carry: the batch as is, or `/*` when it has too many wildcards. */
export function invalidationPaths(paths: readonly string[]): string[] {
  const unique = [...new Set(paths)];
  return unique.filter((p) => p.includes('*')).length > MAX_WILDCARD_PATHS ? ['/*'] : unique;
}

/**
 * Sends invalidations (only the Koolbase check still needs one: see docs/edge.md); a failure
 * throws, so the stream retries the whole batch. The caller reference is the batch's content, so
 * a retried batch is the same invalidation, not a second one.
 */
export class EdgeInvalidator {
  constructor(
    private readonly cloudFront: Pick<CloudFrontClient, 'send'>,
    private readonly distributionId: string,
  ) {}

  /** `reference`: what makes this batch itself (its stream records' ids); a retry passes the same. */
  async invalidate(paths: readonly string[], reference = ''): Promise<string[]> {
    const items = invalidationPaths(paths);
    if (items.length === 0) return [];
    await this.cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: { CallerReference: callerReference(items, reference), Paths: { Quantity: items.length, Items: items } },
      }),
    );
    return items;
  }
}

function callerReference(paths: readonly string[], reference: string): string {
  return createHash('sha256')
    .update(JSON.stringify([reference, [...paths].sort()]))
    .digest('hex');
}
