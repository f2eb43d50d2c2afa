import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, NotFound } from '../../shared/domain/errors.js';
import { errorResult } from '../../shared/http/respond.js';

const body = (face: 'service' | 'faynosync' | 'koolbase', error: unknown) => {
  const result = errorResult(error, () => {}, face);
  return { status: result.statusCode, body: JSON.parse(result.body ?? '') as unknown };
};

describe('each face translates reason codes, never message text', () => {
  it("faynoSync words a taken name its own way, whatever the error's message says", () => {
    for (const message of ['A platform named "mac" already exists', 'anything at all', '']) {
      assert.deepEqual(body('faynosync', new Conflict(message, 'platform_name_taken')), {
        status: 409,
        body: { error: 'platform with this name already exists' },
      });
    }
  });

  it('a message that reads like a translated one is not translated without its reason', () => {
    assert.deepEqual(body('faynosync', new Conflict('A channel named "beta" already exists')), {
      status: 409,
      body: { error: 'A channel named "beta" already exists' },
    });
  });

  it('a face without words for a reason keeps the message (the service face in its own shape)', () => {
    const error = new Conflict('A channel named "beta" already exists', 'channel_name_taken');
    assert.deepEqual(body('service', error), {
      status: 409,
      body: { error: { code: 'conflict', message: 'A channel named "beta" already exists' } },
    });
    assert.deepEqual(body('koolbase', error), { status: 409, body: { error: 'A channel named "beta" already exists' } });
  });

  it('faynoSync words an unknown app, entry or team user to delete in its own words; other faces keep the message', () => {
    const cases = [
      [new NotFound('App "01ARZ3NDEKTSV4RRFFQ69G5FAV" not found', 'app_not_found'), 'app not found'],
      [new NotFound('Channel "x" not found', 'channel_not_found'), 'channel not found'],
      [
        new NotFound('Team user not found', 'team_user_to_delete_not_found'),
        "Team user not found or you don't have permission to delete it",
      ],
    ] as const;
    for (const [error, words] of cases) {
      assert.deepEqual(body('faynosync', error), { status: 404, body: { error: words } });
      assert.deepEqual(body('koolbase', error), { status: 404, body: { error: error.message } });
    }
    assert.deepEqual(body('faynosync', new NotFound('Team user not found', 'team_user_not_found')), {
      status: 404,
      body: { error: 'Team user not found' },
    });
  });
});
