import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict } from '../domain/errors.js';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const ATTEMPTS = 4;

/**
 * Sends a write transaction, retrying when DynamoDB cancels it only because another transaction
 * touched the same items at the same moment (`TransactionConflict`: hot reference counts under
 * parallel CI uploads). A cancellation for a failed condition is the caller's to interpret; one
 * still caught in conflicts after the last attempt is a 409 to retry, never a 500.
 */
export async function transactWrite(db: DynamoDBDocumentClient, items: TransactItem[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await db.send(new TransactWriteCommand({ TransactItems: items }));
      return;
    } catch (error) {
      const conflictOnly =
        error instanceof TransactionCanceledException &&
        (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict') &&
        !(error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed');
      if (!conflictOnly) throw error;
      if (attempt >= ATTEMPTS) throw new Conflict('Other changes to the same records were in progress; try again');
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 40 * 2 ** attempt));
    }
  }
}

/**
 * DynamoDB's limits of one write transaction: 100 actions and 4 MB in all
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis.html#transaction-apis-txwriteitems).
 * The size budget leaves room for attribute names and the request's own overhead.
 */
export const TRANSACTION_LIMITS = { items: 100, bytes: 3_500_000 } as const;

/** A rough upper bound of an action's size: its strings and binaries. */
function actionBytes(value: unknown): number {
  if (typeof value === 'string') return value.length * 3;
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + actionBytes(v), 0);
  if (value && typeof value === 'object') return Object.entries(value).reduce((sum, [k, v]) => sum + k.length + actionBytes(v), 0);
  return 8;
}

/**
 * Splits `writes` into transactions within DynamoDB's limits: each starts with `guards` (the
 * conditions every batch re-checks) and the last one also carries `last` (what must commit with
 * the final write, such as an outbox item). At least one transaction when `last` is not empty.
 */
export function transactionBatches(
  guards: readonly TransactItem[],
  writes: readonly TransactItem[],
  last: readonly TransactItem[] = [],
): TransactItem[][] {
  const sizeOf = (items: readonly TransactItem[]) => items.reduce((sum, item) => sum + actionBytes(item), 0);
  const guardBytes = sizeOf(guards);
  const batches: TransactItem[][] = [];
  let current: TransactItem[] = [];
  let bytes = 0;
  for (const write of writes) {
    const size = actionBytes(write);
    if (
      current.length > 0 &&
      (guards.length + current.length + 1 > TRANSACTION_LIMITS.items || guardBytes + bytes + size > TRANSACTION_LIMITS.bytes)
    ) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(write);
    bytes += size;
  }
  // The last batch must also hold `last`; if it cannot, `last` goes alone.
  if (current.length > 0 || last.length > 0) {
    const fits =
      guards.length + current.length + last.length <= TRANSACTION_LIMITS.items &&
      guardBytes + bytes + sizeOf(last) <= TRANSACTION_LIMITS.bytes;
    if (fits) batches.push([...current, ...last]);
    else batches.push(current, [...last]);
  }
  return batches.map((batch) => [...guards, ...batch]);
}
