import type { EdgeStateUpdate } from '../domain/edge-state.js';
import { EDGE_STATE_ATTRIBUTE } from './outbox-repository.js';
import { newImagesOfType, type StreamRecordLike } from './stream-records.js';
import { TABLE_DEFINITION } from './table-definition.js';

/** The edge state updates of the outbox items in a batch of stream records, in order. */
export function edgeUpdatesFromStreamRecords(records: readonly StreamRecordLike[]): EdgeStateUpdate[] {
  return newImagesOfType(records, TABLE_DEFINITION.outboxType, true).flatMap((image) => {
    const json = image[EDGE_STATE_ATTRIBUTE]?.S;
    return json ? (JSON.parse(json) as EdgeStateUpdate[]) : [];
  });
}
