import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { edgeRequestCode } from '../infra/edge-functions.js';
import type { EdgeStateUpdate } from '../shared/domain/edge-state.js';
import type { RouteDefinition } from '../shared/http/route-definition.js';
import { EdgeStateWriter } from '../shared/storage/edge-state-store.js';
import { EDGE_STATE_ATTRIBUTE } from '../shared/storage/outbox-repository.js';
import { TABLE_DEFINITION } from '../shared/storage/table-definition.js';
import { type EdgeRequest, type EdgeResponse, InMemoryEdgeStore, loadEdgeFunction, type ViewerRequestHandler } from './edge-runtime.js';
import { itemsOfType } from './items-of-type.js';

/**
 * The edge, locally: the deployed viewer-request function's exact code over an in-memory
 * KeyValueStore, which is fed from the outbox as the cloud's edge-state writer is fed from the
 * table's stream (here by reading new outbox items before each edge-cached request).
 */
export class LocalEdge {
  readonly store = new InMemoryEdgeStore();
  private readonly writer = new EdgeStateWriter(this.store);
  private readonly handler: ViewerRequestHandler;
  private readonly applied = new Set<string>();

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    routes: readonly RouteDefinition[],
  ) {
    this.handler = loadEdgeFunction(edgeRequestCode(routes), this.store);
  }

  /** What the edge does with a request: forwards it (headers and query as the function left them), or answers it. */
  async viewerRequest(request: EdgeRequest): Promise<EdgeRequest | EdgeResponse> {
    await this.drain();
    return this.handler({ request });
  }

  /** Applies outbox items not seen yet, oldest first (their ids are ULIDs). */
  async drain(): Promise<void> {
    const fresh: { id: string; updates: EdgeStateUpdate[] }[] = [];
    for await (const item of itemsOfType(
      this.db,
      this.tableName,
      TABLE_DEFINITION.outboxType,
      { expression: 'attribute_exists(#edge)', names: { '#edge': EDGE_STATE_ATTRIBUTE } },
      false,
    )) {
      const id = String(item.PK);
      if (!this.applied.has(id)) fresh.push({ id, updates: JSON.parse(String(item[EDGE_STATE_ATTRIBUTE])) as EdgeStateUpdate[] });
    }
    fresh.sort((a, b) => a.id.localeCompare(b.id));
    for (const { id, updates } of fresh) {
      await this.writer.apply(updates);
      this.applied.add(id);
    }
  }
}
