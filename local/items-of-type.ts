import { type DynamoDBDocumentClient, paginateScan } from '@aws-sdk/lib-dynamodb';
import { TABLE_DEFINITION } from '../shared/storage/table-definition.js';

/** A further condition on the scanned items, with the names and values it uses. */
export interface ItemCondition {
  expression: string;
  names?: Record<string, string>;
  values?: Record<string, unknown>;
}

/**
 * Every item of one type (the table's type attribute), and of `condition` when given: what the local
 * stand-ins for the table's stream consumers (jobs, webhook events, the edge-state outbox) look for.
 */
export async function* itemsOfType(
  db: DynamoDBDocumentClient,
  tableName: string,
  type: string,
  condition?: ItemCondition,
  consistentRead = true,
): AsyncGenerator<Record<string, unknown>> {
  const pages = paginateScan(
    { client: db },
    {
      TableName: tableName,
      ConsistentRead: consistentRead,
      FilterExpression: `#type = :type${condition ? ` AND ${condition.expression}` : ''}`,
      ExpressionAttributeNames: { '#type': TABLE_DEFINITION.typeAttribute, ...condition?.names },
      ExpressionAttributeValues: { ':type': type, ...condition?.values },
    },
  );
  for await (const page of pages) yield* page.Items ?? [];
}
