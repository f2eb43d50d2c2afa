import { type DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item-codec.js';

/**
 * The one paging loop of storage: every item a Query matches, page after page (`Limit`, when
 * given, is the page size; a `FilterExpression` applies per page, so a page may come back empty
 * while more follow). Callers decode the items they get. Lists that hand a cursor to their caller
 * read one page themselves (audit trail). Not `paginateQuery` of lib-dynamodb: it writes the
 * cursor into the caller's input and accepts only the SDK's own client class.
 */
export async function queryAll(db: Pick<DynamoDBDocumentClient, 'send'>, input: QueryCommandInput): Promise<Item[]> {
  const items: Item[] = [];
  let cursor: Record<string, unknown> | undefined = input.ExclusiveStartKey;
  do {
    const { Items, LastEvaluatedKey } = await db.send(new QueryCommand({ ...input, ExclusiveStartKey: cursor }));
    items.push(...(Items ?? []));
    cursor = LastEvaluatedKey;
  } while (cursor);
  return items;
}
