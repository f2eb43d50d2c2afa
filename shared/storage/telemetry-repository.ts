/**
 * Telemetry counter rows: each batch's row is merged into the stored one with one read and one
 * conditional write (the sketch union cannot be an update expression), retried when another
 * aggregator wrote the row in between. Writes per batch are bounded by the number of distinct
 * rows in it, never by the number of records or devices.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { UniqueCounter } from '../domain/hyperloglog.js';
import { type CounterRow, counterExpiry, counterSortKey } from '../domain/telemetry-counters.js';
import type { CheckState } from '../domain/telemetry-hit.js';
import { type Item, num, str } from './item-codec.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';

/** Rounds of read-merge-write before a row's merge gives up (the batch is then retried whole). */
const ROUNDS = 8;

export interface TelemetryRows {
  /** Merges the rows into the stored ones; returns the number of writes made. */
  merge(rows: CounterRow[]): Promise<number>;
  /** An app's rows from `fromDay` to `toDay` inclusive. */
  rows(appId: string, fromDay: string, toDay: string): Promise<CounterRow[]>;
}

export class TelemetryRepository implements TelemetryRows {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async merge(rows: CounterRow[]): Promise<number> {
    let writes = 0;
    for (const row of rows) writes += await this.mergeOne(row);
    return writes;
  }

  private async mergeOne(row: CounterRow): Promise<number> {
    const key = keys.telemetryRow(row.appId, counterSortKey(row));
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
            UpdateExpression:
              'SET #u = :u, #rev = :next, #exp = :exp, #app = :app, #day = :day, #ch = :ch, #pl = :pl, #ar = :ar, #ver = :ver, #st = :st ADD #n :n',
            ConditionExpression: seen === 0 ? 'attribute_not_exists(PK)' : '#rev = :seen',
            ExpressionAttributeNames: {
              '#u': 'u',
              '#rev': 'rev',
              '#exp': 'expiresAt',
              '#app': 'appId',
              '#day': 'day',
              '#ch': 'channel',
              '#pl': 'platform',
              '#ar': 'arch',
              '#ver': 'version',
              '#st': 'state',
              '#n': 'n',
            },
            ExpressionAttributeValues: {
              ':u': clients.encode(),
              ':next': seen + 1,
              ':exp': counterExpiry(row.day),
              ':app': row.appId,
              ':day': row.day,
              ':ch': row.channel,
              ':pl': row.platform,
              ':ar': row.arch,
              ':ver': row.version,
              ':st': row.state,
              ':n': row.requests,
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
