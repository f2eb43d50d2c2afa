import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { useLocalService } from '../support/local-service.js';
import { runOta } from '../support/ota-cli.js';

/** Native sessions (sign-in with a refresh token, renewal) and `ota login` renewing an expired session on its own. */
describe('sessions: sign in, renew with the refresh token', () => {
  const fixture = useLocalService();
  const signIn = (body: unknown) => fixture.service.request('POST', '/api/sync/ota/session', { body });
  const renew = (body: unknown) => fixture.service.request('POST', '/api/sync/ota/session/refresh', { body });

  it('signs in with a password and renews the access token with the refresh token; refuses wrong credentials and a bad refresh token', async () => {
    const { username, password } = fixture.service.stack.info.admin;
    const session = await signIn({ username, password });
    assert.equal(session.status, 200, session.text);
    assert.ok(session.json.refresh_token, 'a refresh token');
    assert.ok(Date.parse(session.json.expires_at) > Date.now());
    const renewed = await renew({ refresh_token: session.json.refresh_token });
    assert.equal(renewed.status, 200, renewed.text);
    assert.equal(renewed.json.refresh_token, null, 'a renewal keeps the refresh token it was given');
    const me = await fixture.service.request('GET', '/api/sync/ota/whoami', { token: renewed.json.access_token });
    assert.equal(me.status, 200, me.text);
    assert.equal(me.json.username, username);

    assert.equal((await signIn({ username, password: 'wrong' })).status, 401);
    const stale = await renew({ refresh_token: 'not-a-refresh-token' });
    assert.equal(stale.status, 401, stale.text);
    assert.match(stale.json.error.message, /sign in again/);
    assert.equal((await signIn({ username })).status, 400);
  });

  it('ota login keeps the refresh token, and a command after the access token expired renews it instead of asking again', async () => {
    const work = mkdtempSync(join(tmpdir(), 'ota-session-'));
    const env = { ...process.env, XDG_CONFIG_HOME: join(work, 'config'), OTA_TOKEN: '', OTA_URL: '', OTA_APP: '' };
    const ota = (args: string[], input?: string) => runOta(args, { cwd: work, env, input: input ?? '' });
    const { username, password } = fixture.service.stack.info.admin;
    const login = await ota(['login', '--url', fixture.service.url, '--username', username, '--password-stdin'], password);
    assert.equal(login.code, 0, login.stderr);
    const file = join(work, 'config', 'ota', 'login.json');
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(stored.refresh_token);

    // The access token "expired" (its stored expiry passed): the next command renews it.
    writeFileSync(file, JSON.stringify({ ...stored, expires_at: new Date(Date.now() - 1000).toISOString() }));
    const me = await ota(['whoami']);
    assert.equal(me.code, 0, me.stderr);
    assert.match(me.stdout, new RegExp(username));
    const renewed = JSON.parse(readFileSync(file, 'utf8'));
    assert.ok(Date.parse(renewed.expires_at) > Date.now(), 'a new expiry');
    assert.equal(renewed.refresh_token, stored.refresh_token);

    // A refresh token the server refuses: sign in again, exit 3.
    writeFileSync(file, JSON.stringify({ ...stored, refresh_token: 'revoked', expires_at: new Date(Date.now() - 1000).toISOString() }));
    const refused = await ota(['whoami']);
    assert.equal(refused.code, 3, refused.stderr);
    assert.match(refused.stderr, /expired[\s\S]*ota login again/);
  });
});
