import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { ENV, requireEnv } from '../../shared/config/env.js';
import { FEED_ATTRIBUTE } from '../../shared/storage/feed-codec.js';
import { DEFAULT_CHANNEL_ALIAS, keys } from '../../shared/storage/keys.js';

/**
 * The benchmark's yardstick: the smallest useful Lambda handler that reads one item with the
 * DocumentClient, bundled exactly like the service's functions. It reads the same published feed
 * item as the check (same key, same projection, eventually consistent) and returns it untouched.
 */
const tableName = requireEnv(ENV.tableName);
const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async (event: {
  pathParameters?: Record<string, string | undefined>;
  queryStringParameters?: Record<string, string | undefined>;
}) => {
  const p = event.pathParameters ?? {};
  const channel = event.queryStringParameters?.channel ?? DEFAULT_CHANNEL_ALIAS;
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName,
      Key: keys.feed(p.slug ?? '', channel, p.target ?? '', p.arch ?? ''),
      ProjectionExpression: FEED_ATTRIBUTE,
    }),
  );
  return { statusCode: Item ? 200 : 404, body: JSON.stringify(Item ?? null) };
};
