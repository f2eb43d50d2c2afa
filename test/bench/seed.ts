import { type AttributeValue, DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { buildAppFeeds } from '../../shared/domain/feed-builder.js';
import { placementsOf } from '../../shared/services/feed-publisher.js';
import { AppRepository } from '../../shared/storage/app-repository.js';
import { FeedRepository } from '../../shared/storage/feed-repository.js';
import { keys } from '../../shared/storage/keys.js';
import type { FixtureApp } from './feed-fixture.js';
import { itemSize } from './item-size.js';

export interface StoredFeedItem {
  sk: string;
  bytes: number;
}

/**
 * Publishes a fixture app's feeds the way the service does, through its own repositories: the app
 * and its slug claim (AppRepository), then a revision and the feed items (FeedRepository.replace).
 * Returns every feed item stored under the slug with its size as DynamoDB counts it.
 */
export async function publishFixture(endpoint: string, tableName: string, fixture: FixtureApp, slug: string): Promise<StoredFeedItem[]> {
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });
  const db = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  try {
    const apps = new AppRepository(db, tableName);
    const feeds = new FeedRepository(db, tableName);
    await apps.create(fixture.app);
    await apps.changeSlug(fixture.app, slug);
    const revision = await feeds.nextRevision(fixture.app.id);
    if (!revision) throw new Error(`no revision for the bench app ${fixture.app.id}`);
    const placements = placementsOf(buildAppFeeds(fixture.app, fixture.catalog, fixture.releases, fixture.artifacts, fixture.now));
    const written = await feeds.replace(slug, fixture.app.id, placements, revision.rev, await feeds.stored(slug));
    if (!written) throw new Error(`publishing the bench feeds of ${slug} was superseded`);
    return await storedFeedItems(client, tableName, slug);
  } finally {
    db.destroy();
  }
}

/** The feed items under a slug exactly as stored (raw attribute values, every attribute), with their sizes. */
async function storedFeedItems(client: DynamoDBClient, tableName: string, slug: string): Promise<StoredFeedItem[]> {
  const items: StoredFeedItem[] = [];
  let cursor: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :feed)',
        ExpressionAttributeValues: { ':pk': { S: keys.slugCollection(slug) }, ':feed': { S: keys.feedPrefix } },
        ExclusiveStartKey: cursor,
      }),
    );
    for (const item of page.Items ?? []) items.push({ sk: item.SK?.S ?? '?', bytes: itemSize(item) });
    cursor = page.LastEvaluatedKey;
  } while (cursor);
  return items;
}
