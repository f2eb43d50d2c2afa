import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Halt } from '../../shared/domain/model.js';
import { unitOfWork } from '../../shared/services/feed-changes.js';
import { haltFor, InstallReports } from '../../shared/services/install-reports.js';
import type { InstallReport, OutcomeCounts } from '../../shared/storage/install-report-repository.js';
import { newApp, releaseWorld } from './in-memory.js';

const counts = (success: number, failure: number, rollback = 0): OutcomeCounts => ({ success, failure, rollback });
const RULE = { maxFailureRate: 0.05, minReports: 50 };

describe('halt rules', () => {
  it('trip above the failure rate once there are enough reports, counting rollbacks as failures', () => {
    assert.equal(haltFor(undefined, counts(0, 100), 'now'), undefined, 'no rule, no halt');
    assert.equal(haltFor(RULE, counts(0, 49), 'now'), undefined, 'below min_reports');
    assert.equal(haltFor(RULE, counts(95, 5), 'now'), undefined, 'at the rate: not above it');
    assert.deepEqual(haltFor(RULE, counts(94, 3, 3), 'now'), {
      reason: "failure rate 0.06 over 100 reports exceeds the halt rule's 0.05 (at least 50 reports)",
      at: 'now',
      failureRate: 0.06,
      reports: 100,
    });
  });

  it('halt a rollout through the release service once: one rebuild, one audit record, even when reports race', async () => {
    const app = newApp('App', { slug: 'app' });
    const world = releaseWorld([app]);
    const view = await world.releaseService.create(app, { version: '1.1.0', publish: true, rolloutPercent: 50 });
    await world.releaseService.setRollout(app, view.release.id, 50, { maxFailureRate: 0.2, minReports: 2 });
    const totals = counts(0, 0);
    const stored: InstallReport[] = [];
    const audits: string[] = [];
    const reports = new InstallReports(
      { get: async () => app },
      { claim: async () => ({ appId: app.id, ownerId: app.ownerId }) },
      {
        async record(report) {
          stored.push(report);
          totals[report.outcome]++;
          return { effect: 'counted', totals: { ...totals } };
        },
        figures: async () => ({ totals, days: [] }),
      },
      world.releaseService,
      async (_owner, event) => void audits.push(event.detail),
    );
    world.republished.length = 0;
    const send = (device: string) =>
      unitOfWork(() =>
        reports.report({ deviceId: device, app: 'app', channel: 'stable', fromVersion: '1.0.0', toVersion: '1.1.0', outcome: 'failure' }),
      );
    const results = await Promise.all(['device-a', 'device-b', 'device-c', 'device-d'].map(send));
    assert.equal(results.filter((r) => r.halted).length, 1, 'one report halts it');
    assert.equal(audits.length, 1);
    const halted = (await world.releaseService.get(app, view.release.id)).release;
    assert.equal(halted.rolloutPercent, 0);
    assert.equal((halted.halted as Halt).reports >= 2, true);
    assert.deepEqual(world.republished, [app.id], 'the halt rebuilt the feeds, once');
    assert.ok(
      stored.every((r) => !r.deviceHash.includes('device')),
      'device ids are stored hashed',
    );
    const resumed = await world.releaseService.setRollout(app, view.release.id, 10);
    assert.equal(resumed.release.halted, undefined, "a person's rollout clears the halt");
    assert.deepEqual(resumed.release.haltRule, { maxFailureRate: 0.2, minReports: 2 }, 'and keeps the rule');
  });
});
