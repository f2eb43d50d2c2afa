import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item-codec.js';

/** Every item a Query matches, page after page (for the short per-owner lists: team users, API tokens). */
export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: Record<string, unknown> | undefined;
  do {
    const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: cursor }));
    items.push(...(Items ?? []));
    cursor = LastEvaluatedKey;
  } while (cursor);
  return items;
}
