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
