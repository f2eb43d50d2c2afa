import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  type DownloadTokenGrant,
  downloadTokenHash,
  downloadTokenShownPrefix,
  grantRefusal,
  isDownloadTokenShape,
  newDownloadToken,
} from '../../shared/domain/download-token.js';
import type { PlatformFeed } from '../../shared/domain/feed.js';
import type { App } from '../../shared/domain/model.js';
import { presentedDownloadToken } from '../../shared/http/download-token.js';
import type { HttpEvent } from '../../shared/http/http-types.js';
import { DownloadAccess } from '../../shared/services/download-access.js';
import { withAccess } from '../../shared/services/feed-publisher.js';
import { grantFromItem, grantFromWire } from '../../shared/storage/download-token-item.js';

const APP = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const NOW = new Date('2026-06-01T00:00:00Z');
const future = '2027-01-01T00:00:00.000Z';

function event(headers: Record<string, string> = {}, query: Record<string, string> = {}): HttpEvent {
  return {
    rawPath: '/x',
    headers,
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    requestContext: { http: { method: 'GET', path: '/x' } },
  };
}

/** A lookup that counts its reads. */
function lookup(grants: Record<string, DownloadTokenGrant>) {
  const reads: string[] = [];
  const grant = async (hash: string) => {
    reads.push(hash);
    return grants[hash];
  };
  return { reads, grant };
}

describe('download tokens', () => {
  it('are dl_ and 64 hex digits, kept as their SHA-256, shown by their first characters', () => {
    const token = newDownloadToken();
    assert.match(token, /^dl_[0-9a-f]{64}$/);
    assert.notEqual(newDownloadToken(), token);
    assert.ok(isDownloadTokenShape(token));
    for (const other of ['dl_short', `DL_${token.slice(3)}`, `${token}0`, 'pk_live_x', '']) assert.ok(!isDownloadTokenShape(other), other);
    assert.equal(downloadTokenHash(token), createHash('sha256').update(token).digest('hex'));
    assert.equal(downloadTokenShownPrefix(token), token.slice(0, 9));
  });

  it('open only their own app, until they expire, and a limited one only what its channel may see', () => {
    const grant = { appId: APP, validUntil: future };
    const any = () => true;
    assert.equal(grantRefusal(grant, APP, NOW, any), undefined);
    assert.equal(grantRefusal(undefined, APP, NOW, any), 'invalid');
    assert.equal(grantRefusal(grant, '01BX5ZZKBKACTAV9WEVGEMMVRZ', NOW, any), 'invalid', "another app's token is no better than none");
    assert.equal(grantRefusal({ ...grant, validUntil: NOW.toISOString() }, APP, NOW, any), 'expired', 'expired at its own instant');
    assert.equal(grantRefusal({ ...grant, validUntil: 'garbage' }, APP, NOW, any), 'expired');
    const limited = { ...grant, channelId: 'beta' };
    assert.equal(
      grantRefusal(limited, APP, NOW, (c) => c === 'beta'),
      undefined,
    );
    assert.equal(
      grantRefusal(limited, APP, NOW, (c) => c === 'stable'),
      'channel',
    );
  });

  it('are read from the stored item in both encodings, never half', () => {
    assert.deepEqual(grantFromWire({ appId: { S: APP }, validUntil: { S: future }, channelId: { S: 'beta' } }), {
      appId: APP,
      validUntil: future,
      channelId: 'beta',
    });
    assert.equal(grantFromWire({ appId: { S: APP } }), undefined);
    assert.equal(grantFromWire(undefined), undefined);
    assert.deepEqual(grantFromItem({ appId: APP, validUntil: future }), { appId: APP, validUntil: future });
    assert.equal(grantFromItem({ appId: APP, validUntil: 5 }), undefined);
  });

  it('come in the X-Download-Token header, Authorization: Bearer dl_…, or ?token=, in that order', () => {
    const token = newDownloadToken();
    assert.deepEqual(presentedDownloadToken(event({ 'x-download-token': ` ${token} ` }, { token: 'other' })), {
      value: token,
      via: 'header',
    });
    assert.deepEqual(presentedDownloadToken(event({ authorization: `bearer ${token}` }, { token: 'other' })), {
      value: token,
      via: 'header',
    });
    assert.deepEqual(presentedDownloadToken(event({}, { token })), { value: token, via: 'query' });
    assert.equal(presentedDownloadToken(event({ authorization: 'Bearer eyJhbGciOi.a.b' })), undefined, 'a Cognito token is not one');
    assert.equal(presentedDownloadToken(event()), undefined);
    const long = `dl_${'x'.repeat(300)}`;
    assert.deepEqual(presentedDownloadToken(event({}, { token: long })), { value: long, via: 'query' }, 'kept, to be refused');
  });
});

describe('the private-app door of a request', () => {
  const token = newDownloadToken();
  const grants = { [downloadTokenHash(token)]: { appId: APP, validUntil: future, channelId: 'beta' } };

  it('lets public apps through without reading anything, and keeps their links clean', async () => {
    const reads = lookup(grants);
    const access = new DownloadAccess(reads, { value: token, via: 'query' }, () => NOW);
    await access.admitAnswer({ appId: APP });
    assert.equal(access.isPrivate, false);
    assert.equal(access.linkQuery(), '', 'a public answer is shared: it never carries a token');
    assert.deepEqual(reads.reads, []);
  });

  it('refuses a private answer without a token, reads a token once per request, and hands query tokens on', async () => {
    await assert.rejects(new DownloadAccess(lookup(grants), undefined, () => NOW).admitAnswer({ appId: APP, private: true }), {
      kind: 'unauthorized',
      message: /send a download token/,
    });
    const reads = lookup(grants);
    const access = new DownloadAccess(reads, { value: token, via: 'query' }, () => NOW);
    await access.admitAnswer({ appId: APP, private: true, channelId: 'beta' });
    await access.admitAnswer({ appId: APP, private: true, channelId: 'beta' });
    assert.equal(reads.reads.length, 1);
    assert.equal(access.isPrivate, true);
    assert.equal(access.linkQuery(), `token=${token}`);
    await assert.rejects(access.admitAnswer({ appId: APP, private: true, channelId: 'stable' }), { message: /another channel/ });
    const viaHeader = new DownloadAccess(lookup(grants), { value: token, via: 'header' }, () => NOW);
    await viaHeader.admitAnswer({ appId: APP, private: true, channelId: 'beta' });
    assert.equal(viaHeader.linkQuery(), '', 'a header token stays out of links');
  });

  it('never looks up a value that cannot be a token', async () => {
    const reads = lookup(grants);
    await assert.rejects(new DownloadAccess(reads, { value: 'x'.repeat(300), via: 'query' }).admitAnswer({ appId: APP, private: true }), {
      message: /not valid/,
    });
    assert.deepEqual(reads.reads, []);
  });
});

describe("a private app's published feeds", () => {
  const feed: PlatformFeed = { appId: APP, channel: 'beta', platform: 'darwin', arch: 'aarch64', releases: [], criticalBelow: [] };
  const app: App = { id: APP, name: 'x', ownerId: 'o', defaultChannelId: 'stable', createdAt: '', updatedAt: '' };
  const channels = [{ id: '01BX5ZZKBKACTAV9WEVGEMMVRZ', name: 'beta' }];

  it('say so, with their channel id; a public app’s feeds are left exactly as built', () => {
    const built = { defaultChannel: 'stable', feeds: [feed] };
    assert.equal(withAccess(built, app, channels), built);
    assert.deepEqual(withAccess(built, { ...app, private: true }, channels).feeds, [
      { ...feed, private: true, channelId: '01BX5ZZKBKACTAV9WEVGEMMVRZ' },
    ]);
  });
});
