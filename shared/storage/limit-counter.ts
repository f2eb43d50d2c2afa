/**
 * A limit on how many items of one kind a scope holds (an app's download tokens) that holds under
 * concurrency: a counter item changes in the same transaction as every creation (`n < limit`) and
 * every delete, so 110 creations at once leave exactly `limit` items. Items DynamoDB's TTL removes
 * leave the counter above the truth, which is safe (never more than the limit) and corrected by a
 * recount when a creation finds the counter full. A scope older than its counter starts from a
 * recount as well.
 */
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.js';
import type { ItemKey } from './keys.js';
import { type TransactItem, transactWrite } from './transactions.js';

const COUNT = 'n';
/** Rounds of read-and-write before a creation gives up with a 409 (each round already retries transaction conflicts). */
const ROUNDS = 12;

export interface CountedScope {
  /** The counter item. */
  key: ItemKey;
  limit: number;
  /** The items there really are (strongly consistent). */
  recount: () => Promise<number>;
}

export class LimitCounter {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes `items` (transaction items, the counter's change first) when the scope has room:
   * 'full' when it holds `limit` already. A cancellation caused by one of `items` is thrown as it
   * came: its reasons start with the counter's, then those of `items` in order.
   */
  async create(scope: CountedScope, items: TransactItem[]): Promise<'created' | 'full'> {
    for (let round = 0; round < ROUNDS; round++) {
      const seen = await this.read(scope.key);
      let step: TransactItem;
      if (seen === undefined || seen >= scope.limit) {
        const actual = await scope.recount();
        if (actual >= scope.limit) return 'full';
        if (seen !== undefined) {
          // The TTL removed some: correct the counter, unless a creation or a delete moved it meanwhile.
          await this.correct(scope.key, seen, actual);
          continue;
        }
        step = {
          Put: { TableName: this.tableName, Item: { ...scope.key, [COUNT]: actual + 1 }, ConditionExpression: 'attribute_not_exists(PK)' },
        };
      } else {
        step = {
          Update: {
            TableName: this.tableName,
            Key: scope.key,
            UpdateExpression: 'ADD #n :one',
            ConditionExpression: '#n < :limit',
            ExpressionAttributeNames: { '#n': COUNT },
            ExpressionAttributeValues: { ':one': 1, ':limit': scope.limit },
          },
        };
      }
      try {
        await transactWrite(this.db, [step, ...items]);
        return 'created';
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const [counter, ...rest] = error.CancellationReasons ?? [];
        if (rest.some((r) => r.Code === 'ConditionalCheckFailed')) throw error;
        // The counter moved (or the transaction kept conflicting): read it again.
        if (counter?.Code !== 'ConditionalCheckFailed' && !(error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict'))
          throw error;
      }
    }
    throw new Conflict('Too many creations at once: try again');
  }

  /**
   * Deletes a counted item and counts it off, in one transaction: `items` start with the item's own
   * conditional delete (`attribute_exists`), then any others that go with it. Throws `gone()` when
   * the item is already gone; a counter that was started meanwhile is read again (a few times).
   */
  async deleteCounted(key: ItemKey, items: readonly TransactItem[], gone: () => Error): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await transactWrite(this.db, [...items, await this.deleteStep(key)]);
        return;
      } catch (error) {
        const reasons = error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
        if (reasons[0]?.Code === 'ConditionalCheckFailed') throw gone();
        // The counter was started meanwhile: count this delete on it.
        if (reasons[items.length]?.Code !== 'ConditionalCheckFailed' || attempt >= 3) throw error;
      }
    }
  }

  /**
   * The counter's part of a delete's transaction: one less when the counter exists, else a check
   * that it still does not (a recount that starts it then counts the delete).
   */
  private async deleteStep(key: ItemKey): Promise<TransactItem> {
    const seen = await this.read(key);
    if (seen === undefined)
      return { ConditionCheck: { TableName: this.tableName, Key: key, ConditionExpression: 'attribute_not_exists(PK)' } };
    return {
      Update: {
        TableName: this.tableName,
        Key: key,
        UpdateExpression: 'ADD #n :minus',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: { '#n': COUNT },
        ExpressionAttributeValues: { ':minus': -1 },
      },
    };
  }

  private async read(key: ItemKey): Promise<number | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }));
    const value = Item?.[COUNT];
    return typeof value === 'number' ? value : undefined;
  }

  private async correct(key: ItemKey, seen: number, actual: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key,
          UpdateExpression: 'SET #n = :actual',
          ConditionExpression: '#n = :seen',
          ExpressionAttributeNames: { '#n': COUNT },
          ExpressionAttributeValues: { ':actual': actual, ':seen': seen },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }
}
