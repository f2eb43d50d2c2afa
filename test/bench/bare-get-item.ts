import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../../shared/config/env.js';
import { keys } from '../../shared/storage/keys.js';

/**
 * The benchmark's yardstick: the smallest useful Lambda handler that reads one item with the
 * DocumentClient, bundled exactly like the service's functions. The check handler is measured
 * against it.
 */
const tableName = requireEnv(ENV.tableName);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: { pathParameters?: Record<string, string | undefined> }) => {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.slug(event.pathParameters?.slug ?? '') }));
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
};
