import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { NotFound } from '../domain/errors.js';
import {
  DELIVERIES_SHOWN,
  WEBHOOK_EVENT_TYPES,
  type Webhook,
  type WebhookDelivery,
  type WebhookEvent,
  type WebhookEventType,
  type WebhookFormat,
} from '../domain/webhook.js';
import { bool, defined, type Item, num, optNum, optStr, str, strList } from './item-codec.js';
import { keys } from './keys.js';
import { LimitCounter } from './limit-counter.js';
import { queryAll } from './query-all.js';
import { newImagesOfType, type StreamRecordLike } from './stream-records.js';
import { TABLE_DEFINITION } from './table-definition.js';
import type { TransactItem } from './transactions.js';

/** An event item lives a day: the table's stream keeps records 24 hours, and the fan-out reads it from there. */
const EVENT_TTL_SECONDS = 24 * 3600;
/** Delivery records are kept a week. */
const DELIVERY_TTL_SECONDS = 7 * 24 * 3600;

export const WEBHOOK_EVENT_ITEM_TYPE = TABLE_DEFINITION.webhookEventType;

function isEventType(value: string): value is WebhookEventType {
  return (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

export function webhookToItem(webhook: Webhook): Item {
  return defined({
    ...keys.webhook(webhook.appId, webhook.id),
    [TABLE_DEFINITION.typeAttribute]: 'webhook',
    id: webhook.id,
    appId: webhook.appId,
    url: webhook.url,
    events: webhook.events,
    format: webhook.format,
    secret: webhook.secret,
    secretPrefix: webhook.secretPrefix,
    description: webhook.description,
    createdAt: webhook.createdAt,
  });
}

export function webhookFromItem(item: Item): Webhook {
  const format = str(item, 'format');
  if (format !== 'json' && format !== 'slack') throw new Error(`Stored webhook ${String(item.SK)}: unknown format`);
  const description = optStr(item, 'description');
  return {
    id: str(item, 'id'),
    appId: str(item, 'appId'),
    url: str(item, 'url'),
    events: strList(item, 'events').filter(isEventType),
    format: format as WebhookFormat,
    secret: str(item, 'secret'),
    secretPrefix: str(item, 'secretPrefix'),
    ...(description !== undefined ? { description } : {}),
    createdAt: str(item, 'createdAt'),
  };
}

/** The Put of an event item, for the transaction of the change it tells about. */
export function webhookEventPut(tableName: string, event: WebhookEvent): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.webhookEvent(event.id),
        [TABLE_DEFINITION.typeAttribute]: WEBHOOK_EVENT_ITEM_TYPE,
        event: JSON.stringify(event),
        [TABLE_DEFINITION.timeToLiveAttribute]: Math.floor(Date.parse(event.createdAt) / 1000) + EVENT_TTL_SECONDS,
      },
    },
  };
}

/** The webhook events new event items carry (other records are skipped, as the stream filter would). */
export function eventsFromStreamRecords(records: readonly StreamRecordLike[]): WebhookEvent[] {
  return newImagesOfType(records, WEBHOOK_EVENT_ITEM_TYPE, true).flatMap((image) => {
    const text = image.event?.S;
    if (!text) return [];
    const event = JSON.parse(text) as WebhookEvent;
    return isEventType(event.type) ? [event] : [];
  });
}

function deliveryToItem(delivery: WebhookDelivery): Item {
  return defined({
    ...keys.webhookDelivery(delivery.webhookId, delivery.at, `${delivery.id}#${delivery.attempt}`),
    [TABLE_DEFINITION.typeAttribute]: 'webhook-delivery',
    ...delivery,
    [TABLE_DEFINITION.timeToLiveAttribute]: Math.floor(Date.parse(delivery.at) / 1000) + DELIVERY_TTL_SECONDS,
  });
}

function deliveryFromItem(item: Item): WebhookDelivery {
  const type = str(item, 'eventType');
  if (!isEventType(type)) throw new Error(`Stored delivery ${String(item.SK)}: unknown event type`);
  const status = optNum(item, 'status');
  const error = optStr(item, 'error');
  const retryInSeconds = optNum(item, 'retryInSeconds');
  return {
    id: str(item, 'id'),
    webhookId: str(item, 'webhookId'),
    eventId: str(item, 'eventId'),
    eventType: type,
    attempt: num(item, 'attempt'),
    at: str(item, 'at'),
    ...(status !== undefined ? { status } : {}),
    ok: bool(item, 'ok'),
    ...(error !== undefined ? { error } : {}),
    durationMs: num(item, 'durationMs'),
    ...(retryInSeconds !== undefined ? { retryInSeconds } : {}),
  };
}

/**
 * Webhooks (in their app's collection, so they go with the app), the event items changes write
 * for the fan-out, and the delivery records (one per attempt, newest first, expiring after a week).
 */
export class WebhookRepository {
  private readonly counter: LimitCounter;

  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.counter = new LimitCounter(db, tableName);
  }

  /**
   * Stores a new webhook when the app holds fewer than `limit` (false otherwise; the count and the
   * webhook are written in one transaction, so the limit holds under concurrent creations); 404
   * when the app is gone or being deleted.
   */
  async create(webhook: Webhook, limit: number): Promise<boolean> {
    const scope = { key: keys.appWebhookCount(webhook.appId), limit, recount: async () => (await this.list(webhook.appId)).length };
    try {
      const outcome = await this.counter.create(scope, [
        {
          ConditionCheck: {
            TableName: this.tableName,
            Key: keys.app(webhook.appId),
            ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(deleting)',
          },
        },
        { Put: { TableName: this.tableName, Item: webhookToItem(webhook), ConditionExpression: 'attribute_not_exists(PK)' } },
      ]);
      return outcome === 'created';
    } catch (error) {
      // Reasons: the counter's first, then the app's check.
      if (error instanceof TransactionCanceledException && error.CancellationReasons?.[1]?.Code === 'ConditionalCheckFailed') {
        throw new NotFound('App not found', 'app_not_found');
      }
      throw error;
    }
  }

  async list(appId: string): Promise<Webhook[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.appCollection(appId), ':prefix': keys.webhookPrefix },
      ConsistentRead: true,
    });
    return items.map(webhookFromItem);
  }

  /** One webhook, read consistently: a webhook just removed is neither shown nor delivered to. */
  async get(appId: string, webhookId: string): Promise<Webhook | undefined> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.webhook(appId, webhookId), ConsistentRead: true }),
    );
    return Item ? webhookFromItem(Item) : undefined;
  }

  /** Deletes the webhook and counts it off; 404 when it is already gone. */
  async delete(webhook: Webhook): Promise<void> {
    await this.counter.deleteCounted(
      keys.appWebhookCount(webhook.appId),
      [
        {
          Delete: { TableName: this.tableName, Key: keys.webhook(webhook.appId, webhook.id), ConditionExpression: 'attribute_exists(PK)' },
        },
      ],
      () => new NotFound('Webhook not found'),
    );
  }

  async recordDelivery(delivery: WebhookDelivery): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: deliveryToItem(delivery) }));
  }

  /** The webhook's latest deliveries, newest first. */
  async deliveries(webhookId: string, limit = DELIVERIES_SHOWN): Promise<WebhookDelivery[]> {
    const { Items } = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': keys.webhookDeliveriesOf(webhookId) },
        ScanIndexForward: false,
        Limit: limit,
      }),
    );
    return (Items ?? []).map(deliveryFromItem);
  }
}
