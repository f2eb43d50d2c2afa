import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DomainError } from '../../shared/domain/errors.js';
import { FaynoAccounts, SIGNUP_DISABLED } from '../../shared/faces/faynosync/accounts.js';
import { faynoUpdaters } from '../../shared/faces/faynosync/catalog-wire.js';
import { passwordProblem, userPoolIdOf } from '../../shared/storage/user-pool.js';

/** A Cognito client that records the commands it is sent and answers with `answer`. */
function fakeIdp(answer: (name: string) => unknown = () => ({})) {
  const sent: string[] = [];
  const idp = {
    send: async (command: object) => {
      const name = command.constructor.name;
      sent.push(name);
      const result = answer(name);
      if (result instanceof Error) throw result;
      return result;
    },
  } as unknown as CognitoIdentityProviderClient;
  return { idp, sent };
}

function named(name: string): Error {
  const error = new Error(`${name} happened`);
  error.name = name;
  return error;
}

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  assert.fail('expected a refusal');
}

describe('faynoSync sign-up and login', () => {
  const config = { userPoolId: 'us-east-1_abc', clientId: 'client' };
  const input = { username: 'admin', password: 'Password-1234', apiKey: 'key' };

  it('sign-up is off without a key: 403, and Cognito is never called', async () => {
    const { idp, sent } = fakeIdp();
    const error = await refusal(new FaynoAccounts(idp, config).signUp(input));
    assert.equal(error.kind, 'forbidden');
    assert.equal(error.message, SIGNUP_DISABLED);
    assert.deepEqual(sent, []);
  });

  it('a wrong key is 401 "wrong api key"; the right one creates a user with a permanent password', async () => {
    const { idp, sent } = fakeIdp();
    const accounts = new FaynoAccounts(idp, { ...config, signupKey: 'key' });
    const wrong = await refusal(accounts.signUp({ ...input, apiKey: 'other' }));
    assert.deepEqual([wrong.kind, wrong.message], ['unauthorized', 'wrong api key']);
    await accounts.signUp(input);
    assert.deepEqual(sent, ['AdminCreateUserCommand', 'AdminSetUserPasswordCommand']);
  });

  it('an existing user is 401 "user already exists"; a failed password step removes the half-made user', async () => {
    const exists = fakeIdp((name) => (name === 'AdminCreateUserCommand' ? named('UsernameExistsException') : {}));
    const error = await refusal(new FaynoAccounts(exists.idp, { ...config, signupKey: 'key' }).signUp(input));
    assert.deepEqual([error.kind, error.message], ['unauthorized', 'user already exists']);

    const rejected = fakeIdp((name) => (name === 'AdminSetUserPasswordCommand' ? named('InvalidPasswordException') : {}));
    const weak = await refusal(new FaynoAccounts(rejected.idp, { ...config, signupKey: 'key' }).signUp(input));
    assert.equal(weak.kind, 'invalid');
    assert.deepEqual(rejected.sent, ['AdminCreateUserCommand', 'AdminSetUserPasswordCommand', 'AdminDeleteUserCommand']);
  });

  it('login answers the access token; Cognito refusals are all "invalid username or password"', async () => {
    const ok = fakeIdp(() => ({ AuthenticationResult: { AccessToken: 'access', IdToken: 'id' } }));
    assert.equal(await new FaynoAccounts(ok.idp, config).logIn('admin', 'pw'), 'access');
    for (const name of ['NotAuthorizedException', 'UserNotFoundException', 'InvalidPasswordException']) {
      const { idp } = fakeIdp(() => named(name));
      const error = await refusal(new FaynoAccounts(idp, config).logIn('admin', 'pw'));
      assert.deepEqual([error.kind, error.message], ['unauthorized', 'invalid username or password']);
    }
    const challenged = fakeIdp(() => ({ ChallengeName: 'NEW_PASSWORD_REQUIRED' }));
    assert.equal((await refusal(new FaynoAccounts(challenged.idp, config).logIn('admin', 'pw'))).kind, 'unauthorized');
  });

  it("checks passwords against the pool's policy in plain words", () => {
    assert.equal(passwordProblem('Password-1234'), undefined);
    assert.equal(
      passwordProblem('password'),
      'password is too weak: it needs at least 12 characters, an uppercase letter, a digit, a symbol',
    );
    assert.equal(passwordProblem('PASSWORD-12345'), 'password is too weak: it needs a lowercase letter');
  });

  it('reads the user pool id from the issuer, in the cloud and locally', () => {
    assert.equal(userPoolIdOf('https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbC'), 'eu-west-1_AbC');
    assert.equal(userPoolIdOf('http://127.0.0.1:9229/local_123'), 'local_123');
  });
});

describe("faynoSync's platform updaters", () => {
  it('accepts one default among known types, in the order given', () => {
    assert.deepEqual(
      faynoUpdaters([
        { type: 'manual', default: false },
        { type: 'velopack', default: true },
      ]),
      [
        { type: 'manual', default: false },
        { type: 'velopack', default: true },
      ],
    );
  });

  it("refuses with faynoSync's messages", () => {
    const message = (raw: unknown) => {
      try {
        faynoUpdaters(raw);
      } catch (error) {
        return (error as Error).message;
      }
      return 'accepted';
    };
    assert.equal(message([]), 'at least one updater is required');
    assert.equal(message('manual'), 'Invalid request body');
    assert.equal(message([{ type: 'manual', default: 'yes' }]), 'Invalid request body');
    assert.match(message([{ type: 'nsis', default: true }]), /^invalid updater type: nsis\. Valid types are: \[manual squirrel_darwin/);
  });
});
