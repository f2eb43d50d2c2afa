import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { newId } from '../domain/ids.js';
import { type Item, num, optStr, str } from './item-codec.js';
import { keys } from './keys.js';

/** One management change: who, what, when and the result. */
export interface AuditEvent {
  at: string;
  id: string;
  /** `owner`, `team` or `token`. */
  actorKind: string;
  /** A Cognito sub, or `token:<id>`. */
  actorId: string;
  actorName: string;
  /** The route's id (`CreateApp`, `FsUpload`, …), its method and the path as called (ids, never secrets). */
  action: string;
  method: string;
  path: string;
  /** The resource named in the query (`?id=`), when the route takes it there. */
  target?: string;
  status: number;
  /** The error's message for a refused or failed change. */
  error?: string;
  /** What a system action decided, with its figures (a halt rule's halt). */
  detail?: string;
}

/** What a page of the trail continues from: the sort key of its last event (`<ISO time>#<id>`), carried in a cursor. */
const PAGE_KEY = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[0-9A-HJKMNP-TV-Z]{26}$/;
const isPageKey = (key: string): boolean => PAGE_KEY.test(key);

/** The audit trail: one item per change under the owner, newest first, expiring after the retention period (TTL). */
export class AuditRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(ownerId: string, event: Omit<AuditEvent, 'id'>, retentionDays: number): Promise<void> {
    const id = newId();
    await this.db.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.audit(ownerId, event.at, id),
          type: 'audit',
          ...event,
          id,
          expiresAt: Math.ceil(Date.parse(event.at) / 1000) + retentionDays * 86_400,
        },
      }),
    );
  }

  /** One page, newest first; `cursor` is the previous page's `next` (Invalid when it is not one). */
  async page(ownerId: string, limit: number, cursor?: string): Promise<{ events: AuditEvent[]; next?: string }> {
    const after = cursor === undefined ? undefined : decodeCursor(cursor, isPageKey);
    const { Items, LastEvaluatedKey } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.auditOf(ownerId) },
        ScanIndexForward: false,
        Limit: limit,
        ...(after ? { ExclusiveStartKey: { PK: keys.auditOf(ownerId), SK: after } } : {}),
      }),
    );
    const events = (Items ?? []).map(fromItem);
    const last = LastEvaluatedKey?.SK;
    return { events, ...(typeof last === 'string' ? { next: encodeCursor(last) } : {}) };
  }
}

function fromItem(item: Item): AuditEvent {
  const target = optStr(item, 'target');
  const error = optStr(item, 'error');
  const detail = optStr(item, 'detail');
  return {
    at: str(item, 'at'),
    id: str(item, 'id'),
    actorKind: str(item, 'actorKind'),
    actorId: str(item, 'actorId'),
    actorName: str(item, 'actorName'),
    action: str(item, 'action'),
    method: str(item, 'method'),
    path: str(item, 'path'),
    ...(target ? { target } : {}),
    status: num(item, 'status'),
    ...(error ? { error } : {}),
    ...(detail ? { detail } : {}),
  };
}
