import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from '../../shared/storage/item-codec.js';
import { queryAll } from '../../shared/storage/query-all.js';

/** A fake client answering Queries from `pages`, in order, and recording what each one asked. */
function pagedClient(pages: { items: Item[]; last?: Item }[]) {
  const asked: QueryCommandInput[] = [];
  const send = async (command: unknown) => {
    assert.ok(command instanceof QueryCommand);
    asked.push({ ...command.input });
    const page = pages[asked.length - 1];
    if (!page) throw new Error('queried past the last page');
    return { Items: page.items, ...(page.last ? { LastEvaluatedKey: page.last } : {}) };
  };
  return { db: { send } as never, asked };
}

describe('queryAll', () => {
  const input: QueryCommandInput = { TableName: 't', KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': 'A' } };

  it('reads page after page, each from the previous page’s last key, and stops at the page without one', async () => {
    const { db, asked } = pagedClient([
      { items: [{ n: 1 }, { n: 2 }], last: { PK: 'A', SK: '2' } },
      // A filtered page may be empty while more follow.
      { items: [], last: { PK: 'A', SK: '4' } },
      { items: [{ n: 5 }] },
    ]);
    assert.deepEqual(await queryAll(db, input), [{ n: 1 }, { n: 2 }, { n: 5 }]);
    assert.deepEqual(
      asked.map((a) => a.ExclusiveStartKey),
      [undefined, { PK: 'A', SK: '2' }, { PK: 'A', SK: '4' }],
    );
    assert.ok(asked.every((a) => a.TableName === 't' && a.KeyConditionExpression === 'PK = :pk'));
    assert.equal(input.ExclusiveStartKey, undefined, 'the caller’s input is left as it was');
  });

  it('keeps the projection, filter and page size of every page, and starts from a given key', async () => {
    const { db, asked } = pagedClient([{ items: [{ SK: 'x' }], last: { PK: 'A', SK: 'x' } }, { items: [] }]);
    const start = { PK: 'A', SK: 'w' };
    await queryAll(db, { ...input, ProjectionExpression: 'SK', FilterExpression: 'appId = :app', Limit: 1, ExclusiveStartKey: start });
    assert.equal(asked.length, 2);
    assert.deepEqual(asked[0]?.ExclusiveStartKey, start);
    for (const page of asked) {
      assert.equal(page.ProjectionExpression, 'SK');
      assert.equal(page.FilterExpression, 'appId = :app');
      assert.equal(page.Limit, 1);
    }
  });
});
