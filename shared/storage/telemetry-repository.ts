/**
 * Telemetry counter rows: each batch's row is merged into the stored one with one read and one
 * conditional write (the sketch union cannot be an update expression), retried when another
 * aggregator wrote the row in between. Writes per batch are bounded by the number of distinct
 * rows in it, never by the number of records or devices. Rollout rows (telemetry-rollouts.ts) live
 * in the same partition, after the day-keyed rows.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UniqueCounter } from '../domain/hyperloglog.js';
import { type CounterRow, counterExpiry, counterSortKey } from '../domain/telemetry-counters.js';
import type { CheckState } from '../domain/telemetry-hit.js';
import { ROLLOUT_ROW_PREFIX, type RolloutRow, rolloutSortKey } from '../domain/telemetry-rollouts.js';
import { type Item, num, str } from './item-codec.js';
import { type ItemKey, keys } from './keys.js';
import { queryAll } from './query-all.js';

/** Rounds of read-merge-write before a row's merge gives up (the batch is then retried whole). */
const ROUNDS = 8;

export interface TelemetryRows {
  /** Merges the rows (and the rollout rows) into the stored ones; returns the number of writes made. */
  merge(rows: CounterRow[], rollouts?: RolloutRow[]): Promise<number>;
  /** An app's rows from `fromDay` to `toDay` inclusive. */
  rows(appId: string, fromDay: string, toDay: string): Promise<CounterRow[]>;
  /** An app's rollout rows from `fromDay` to `toDay` inclusive. */
  rolloutRows(appId: string, fromDay: string, toDay: string): Promise<RolloutRow[]>;
}

/** What a merge sets besides the sketch, the count and the revision. */
type RowAttributes = Record<string, string | number>;

export class TelemetryRepository implements TelemetryRows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async merge(rows: CounterRow[], rollouts: RolloutRow[] = []): Promise<number> {
    let writes = 0;
    for (const row of rows) {
      const { appId, day, channel, platform, arch, version, state } = row;
      writes += await this.mergeOne(keys.telemetryRow(appId, counterSortKey(row)), row, {
        appId,
        day,
        channel,
        platform,
        arch,
        version,
        state,
        expiresAt: counterExpiry(day),
      });
    }
    for (const row of rollouts) {
      const { appId, releaseId, version, day, side } = row;
      writes += await this.mergeOne(keys.telemetryRow(appId, rolloutSortKey(row)), row, {
        appId,
        releaseId,
        version,
        day,
        side,
        expiresAt: counterExpiry(day),
      });
    }
    return writes;
  }

  private async mergeOne(key: ItemKey, row: { requests: number; clients: UniqueCounter }, attributes: RowAttributes): Promise<number> {
    const names = Object.keys(attributes);
    for (let round = 1; round <= ROUNDS; round++) {
      const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
      const seen = Item ? num(Item, 'rev') : 0;
      const clients = Item ? decodeClients(Item) : new UniqueCounter();
      clients.merge(row.clients);
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: key,
            UpdateExpression: `SET #u = :u, #rev = :next, ${names.map((_, i) => `#a${i} = :a${i}`).join(', ')} ADD #n :n`,
            ConditionExpression: seen === 0 ? 'attribute_not_exists(PK)' : '#rev = :seen',
            ExpressionAttributeNames: {
              '#u': 'u',
              '#rev': 'rev',
              '#n': 'n',
              ...Object.fromEntries(names.map((name, i) => [`#a${i}`, name])),
            },
            ExpressionAttributeValues: {
              ':u': clients.encode(),
              ':next': seen + 1,
              ':n': row.requests,
              ...Object.fromEntries(names.map((name, i) => [`:a${i}`, attributes[name]])),
              ...(seen === 0 ? {} : { ':seen': seen }),
            },
          }),
        );
        return round;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`Telemetry row ${key.PK}/${key.SK}: ${ROUNDS} concurrent writers in a row`);
  }

  async rows(appId: string, fromDay: string, toDay: string): Promise<CounterRow[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': keys.telemetryOf(appId), ':from': fromDay, ':to': `${toDay}#\uffff` },
    });
    return items.map(rowFrom);
  }

  async rolloutRows(appId: string, fromDay: string, toDay: string): Promise<RolloutRow[]> {
    // Keyed by release first (a release's days are one range): the few rows of 30 days are read and filtered by day.
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: '#day BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#day': 'day' },
      ExpressionAttributeValues: { ':pk': keys.telemetryOf(appId), ':prefix': ROLLOUT_ROW_PREFIX, ':from': fromDay, ':to': toDay },
    });
    return items.map(rolloutRowFrom);
  }
}

const STATES: readonly CheckState[] = ['latest', 'outdated', 'unknown'];

function rowFrom(item: Item): CounterRow {
  const state = str(item, 'state');
  if (!STATES.includes(state as CheckState)) throw new Error(`Stored item ${String(item.PK)}/${String(item.SK)}: state is ${state}`);
  return {
    appId: str(item, 'appId'),
    day: str(item, 'day'),
    channel: str(item, 'channel'),
    platform: str(item, 'platform'),
    arch: str(item, 'arch'),
    version: str(item, 'version'),
    state: state as CheckState,
    requests: num(item, 'n'),
    clients: decodeClients(item),
  };
}

function decodeClients(item: Item): UniqueCounter {
  const value = item.u;
  if (!(value instanceof Uint8Array)) throw new Error(`Stored item ${String(item.PK)}/${String(item.SK)}: u is not binary`);
  return UniqueCounter.decode(value);
}

function rolloutRowFrom(item: Item): RolloutRow {
  const side = str(item, 'side');
  if (side !== 'in' && side !== 'out') throw new Error(`Stored item ${String(item.PK)}/${String(item.SK)}: side is ${side}`);
  return {
    appId: str(item, 'appId'),
    releaseId: str(item, 'releaseId'),
    version: str(item, 'version'),
    day: str(item, 'day'),
    side,
    requests: num(item, 'n'),
    clients: decodeClients(item),
  };
}
