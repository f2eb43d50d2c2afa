import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { dynamoDocumentClient } from '../../shared/clients/dynamodb.js';
import { ENV, requireEnv } from '../../shared/config/env.js';
import { InstallReportRepository } from '../../shared/storage/install-report-repository.js';
import { createPublishedApp, uploadArtifact, useLocalService } from '../support/local-service.js';

/** Install reports from devices, a release's figures, and a halt rule that halts a rollout by itself. */
describe('install reports and automatic halts, end to end', () => {
  const fixture = useLocalService();
  const { api } = fixture;

  async function release(appId: string, body: Record<string, unknown>): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, body);
    assert.equal(created.status, 201, created.text);
    const id = created.json.id as string;
    await uploadArtifact(fixture.service, fixture.token, appId, id, { bytes: randomBytes(16) });
    assert.equal((await api('POST', `/apps/${appId}/releases/${id}/publish`, {})).status, 200);
    return id;
  }

  const report = (body: Record<string, unknown>) => fixture.service.request('POST', '/api/sync/ota/installs', { body });
  const check = (slug: string, version: string, device: string) =>
    fixture.service.request('GET', `/api/sync/ota/${slug}/darwin/aarch64/${version}`, { headers: { 'x-device-id': device } });

  it('halts a 50 % rollout at 0 % when failures trip its rule: once, audited, shown on the release; its devices get the previous release', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'halting-app');
    await release(appId, { version: '1.0.0', channel: 'stable' });
    const next = await release(appId, {
      version: '1.1.0',
      channel: 'stable',
      rollout_percent: 50,
      halt_rule: { max_failure_rate: 0.3, min_reports: 100 },
    });
    assert.deepEqual((await api('GET', `/apps/${appId}/releases/${next}`)).json.halt_rule, { max_failure_rate: 0.3, min_reports: 100 });
    const rollout = await api('PUT', `/apps/${appId}/releases/${next}/rollout`, {
      percent: 50,
      halt_rule: { max_failure_rate: 0.2, min_reports: 4 },
    });
    assert.equal(rollout.status, 200, rollout.text);
    assert.deepEqual(rollout.json.halt_rule, { max_failure_rate: 0.2, min_reports: 4 });
    assert.equal(rollout.json.halted, null);

    // Devices on 1.0.0 inside the rollout are offered 1.1.0.
    const inside: string[] = [];
    for (let i = 0; inside.length < 8; i++) {
      const device = `device-${i}-halting`;
      const reply = await check('halting-app', '1.0.0', device);
      if (reply.status === 200) {
        assert.equal(reply.json.version, '1.1.0');
        inside.push(device);
      } else assert.equal(reply.status, 204);
    }
    const sent = (device: string, outcome: string) =>
      report({ device_id: device, app: 'halting-app', channel: 'stable', from_version: '1.0.0', to_version: '1.1.0', outcome });

    const first = await sent(inside[0] as string, 'success');
    assert.equal(first.status, 202, first.text);
    assert.deepEqual(first.json, { accepted: true, effect: 'counted' });
    assert.equal((await sent(inside[0] as string, 'failure')).status, 429, 'a device reports again on a release at most every 10 s');
    // Below min_reports nothing halts, whatever the rate.
    assert.equal((await sent(inside[1] as string, 'failure')).status, 202);
    assert.equal((await api('GET', `/apps/${appId}/releases/${next}`)).json.rollout_percent, 50);

    // Five failures at once: the rule trips on several of them, the rollout halts once.
    const failures = await Promise.all(inside.slice(2, 7).map((device) => sent(device, 'failure')));
    assert.ok(
      failures.every((r) => r.status === 202),
      failures.map((r) => r.text).join('\n'),
    );

    const halted = await api('GET', `/apps/${appId}/releases/${next}`);
    assert.equal(halted.json.rollout_percent, 0);
    assert.ok(halted.json.halted, 'the owner sees why');
    assert.ok(halted.json.halted.reports >= 4 && halted.json.halted.failure_rate > 0.2, JSON.stringify(halted.json.halted));
    assert.match(halted.json.halted.reason, /exceeds the halt rule's 0.2/);
    // faynoSync's admin lists the version halted too (an added field: its clients ignore unknown ones).
    const listed = await fixture.service.request('GET', '/search?app_name=halting-app', { token: fixture.token });
    assert.equal(listed.status, 200, listed.text);
    const version = listed.json.items.find((v: { Version: string }) => v.Version === '1.1.0');
    assert.equal(version?.RolloutPercent, 0);
    assert.deepEqual(version?.Halted, halted.json.halted, "faynoSync's Version shows why");
    assert.equal(listed.json.items.find((v: { Version: string }) => v.Version === '1.0.0')?.Halted, null);

    const audit = await api('GET', '/audit?limit=50');
    const halts = audit.json.events.filter((e: { action: string }) => e.action === 'HaltRollout');
    assert.equal(halts.length, 1, 'one halt, whatever the concurrency');
    assert.equal(halts[0].actor.kind, 'system');
    assert.match(halts[0].detail, /1\.1\.0: rollout 50% -> 0%: failure rate/);

    // The devices that were inside get nothing new; older clients get the previous release.
    for (const device of inside) assert.equal((await check('halting-app', '1.0.0', device)).status, 204);
    assert.equal((await check('halting-app', '0.9.0', inside[0] as string)).json.version, '1.0.0');

    const figures = await api('GET', `/apps/${appId}/releases/${next}/installs`);
    assert.equal(figures.status, 200, figures.text);
    assert.deepEqual([figures.json.reports, figures.json.installs, figures.json.failures, figures.json.rollbacks], [7, 1, 6, 0]);
    assert.equal(figures.json.failure_rate, 0.8571);
    assert.equal(figures.json.days.length, 1);
    assert.equal(figures.json.days[0].failures, 6);
    assert.equal(figures.json.rollout_percent, 0);

    // A person resumes it: the halt is cleared, the rule kept.
    const resumed = await api('PUT', `/apps/${appId}/releases/${next}/rollout`, { percent: 50 });
    assert.equal(resumed.json.halted, null);
    assert.deepEqual(resumed.json.halt_rule, { max_failure_rate: 0.2, min_reports: 4 });
    const removed = await api('PATCH', `/apps/${appId}/releases/${next}`, { halt_rule: null });
    assert.equal(removed.status, 200, removed.text);
    assert.equal(removed.json.halt_rule, null);
  });

  it('refuses reports that could say more than one device may: unknown fields, long texts, large bodies, other releases', async () => {
    const appId = await createPublishedApp(fixture.service, fixture.token, 'strict-reports');
    await release(appId, { version: '2.0.0', channel: 'stable' });
    const base = { device_id: 'device-strict-1', app: 'strict-reports', channel: 'stable', from_version: '1.0.0', to_version: '2.0.0' };
    assert.equal((await report({ ...base, outcome: 'exploded' })).status, 400);
    assert.equal((await report({ ...base, outcome: 'failure', installs: 1000 })).status, 400, 'strict: no extra field');
    assert.equal((await report({ ...base, outcome: 'failure', error: 'x'.repeat(1_001) })).status, 400);
    assert.equal((await report({ ...base, device_id: 'short', outcome: 'success' })).status, 400);
    const large = await fixture.service.request('POST', '/api/sync/ota/installs', {
      rawBody: JSON.stringify({ ...base, outcome: 'failure', pad: 'x'.repeat(5_000) }),
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(large.status, 413);
    assert.equal((await report({ ...base, to_version: '9.9.9', outcome: 'success' })).status, 404, 'no such release');
    assert.equal((await report({ ...base, app: 'no-such-app', outcome: 'success' })).status, 404);
    const byId = await report({ ...base, app: appId, outcome: 'failure', error: 'signature mismatch' });
    assert.equal(byId.status, 202, 'the app by id as well as by slug');
  });

  it('counts a device once per release: a new outcome replaces the old one, in the totals and the days', async () => {
    const repository = new InstallReportRepository(dynamoDocumentClient(), requireEnv(ENV.tableName));
    const base = { releaseId: '01JTESTRELEASE000000000000', fromVersion: '1.0.0', channel: 'stable' };
    const record = (deviceHash: string, outcome: 'success' | 'failure' | 'rollback', at: string) =>
      repository.record({ ...base, deviceHash, outcome, at }, 0);
    assert.deepEqual(await record('a', 'failure', '2026-01-01T10:00:00.000Z'), {
      effect: 'counted',
      totals: { success: 0, failure: 1, rollback: 0 },
    });
    assert.deepEqual(await record('a', 'rollback', '2026-01-02T10:00:00.000Z'), {
      effect: 'replaced',
      totals: { success: 0, failure: 0, rollback: 1 },
    });
    assert.equal((await record('a', 'rollback', '2026-01-02T11:00:00.000Z')) !== 'too_soon', true);
    await record('b', 'success', '2026-01-02T12:00:00.000Z');
    const figures = await repository.figures(base.releaseId);
    assert.deepEqual(figures.totals, { success: 1, failure: 0, rollback: 1 });
    assert.deepEqual(
      figures.days.map((d) => [d.day, d.success, d.failure, d.rollback]),
      [
        ['2026-01-01', 0, 0, 0],
        ['2026-01-02', 1, 0, 1],
      ],
    );
  });
});
