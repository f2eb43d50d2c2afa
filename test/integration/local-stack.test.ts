import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { StackInfo } from '../../local/stack.js';
import { createPublishedApp, LocalService, publishRelease } from '../support/local-service.js';

describe('the local stack', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'ota-persist-'));
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it('writes stack.json and keeps apps, releases, artifacts and users across a restart', async () => {
    const first = await LocalService.start({ stateDir });
    let releaseId: string;
    try {
      const info = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as StackInfo;
      assert.equal(info.apiUrl, first.url);
      assert.equal(info.region, 'us-east-1');
      assert.ok(info.cognito.endpoint && info.cognito.userPoolId && info.cognito.clientId);
      assert.ok(info.admin.username && info.admin.password);
      const token = await first.adminToken();
      const appId = await createPublishedApp(first, token, 'persistent-app');
      ({ releaseId } = await publishRelease(first, token, appId, { version: '4.0.0', bytes: randomBytes(64) }));
    } finally {
      await first.stop();
    }

    const second = await LocalService.start({ stateDir });
    try {
      const check = await second.request('GET', '/api/sync/ota/persistent-app/darwin/aarch64/3.0.0');
      assert.equal(check.status, 200);
      assert.equal(check.json.version, '4.0.0');
      const download = await second.request('GET', `/api/sync/ota/persistent-app/download/${releaseId}/darwin/aarch64`);
      const file = await fetch(download.headers.get('location') as string);
      assert.equal(file.status, 200);
      // The same admin signs in again: the user pool survived too.
      const apps = await second.request('GET', '/api/sync/ota/apps', { token: await second.adminToken() });
      assert.deepEqual(
        apps.json.apps.map((a: { slug: string }) => a.slug),
        ['persistent-app'],
      );
    } finally {
      await second.stop();
    }
  });
});
