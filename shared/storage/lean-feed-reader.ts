import { AwsClient } from 'aws4fetch';
import { ENV, requireEnv } from '../config/env.js';
import { keys } from './keys.js';
import { parseSlugItem, type SlugRecord } from './slug-record.js';

/**
 * The update check's only storage call: one DynamoDB GetItem of the slug item, signed with SigV4
 * by aws4fetch instead of the AWS SDK. The check is the hot, public, mostly-cold-started path, and
 * the SDK client alone costs more module-load time than the whole rest of the check; the request
 * is the same GetItem the SDK would send (same endpoint, same credentials from the environment).
 */
export class LeanFeedReader {
  private readonly client: AwsClient;
  private readonly endpoint: string;

  constructor(private readonly tableName: string) {
    const region = process.env.AWS_REGION ?? 'us-east-1';
    this.client = new AwsClient({
      accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
      secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'),
      ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
      service: 'dynamodb',
      region,
      retries: 2,
    });
    this.endpoint = process.env[ENV.dynamodbEndpoint] ?? `https://dynamodb.${region}.amazonaws.com`;
  }

  async read(slug: string): Promise<SlugRecord | undefined> {
    const key = keys.slug(slug);
    const response = await this.client.fetch(this.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: JSON.stringify({
        TableName: this.tableName,
        Key: { PK: { S: key.PK }, SK: { S: key.SK } },
        ProjectionExpression: 'appId, feed',
      }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`DynamoDB GetItem failed: ${response.status} ${text.slice(0, 200)}`);
    const item = (JSON.parse(text) as { Item?: { appId?: { S?: string }; feed?: { S?: string } } }).Item;
    return parseSlugItem(item?.appId?.S, item?.feed?.S);
  }
}
