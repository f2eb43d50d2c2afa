import type { EdgeStateUpdate } from '../domain/edge-state.js';
import { EDGE_STATE_ATTRIBUTE } from './outbox-repository.js';
import { TABLE_DEFINITION } from './table-definition.js';

/** A DynamoDB stream record as far as the edge-state writer reads it. */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, { S?: string }> };
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
