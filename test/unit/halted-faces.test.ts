import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bundleDto } from '../../shared/faces/koolbase/dto.js';
import { bundleAnswer } from '../../shared/faces/koolbase/schemas.js';
import type { BundleView } from '../../shared/services/koolbase-service.js';
import { newApp } from './in-memory.js';

/** A halted rollout on the faces that list releases their own way (faynoSync's in test/integration/install-reports.test.ts). */
describe('a halted rollout on the Koolbase face', () => {
  const app = newApp('Project');
  const at = '2026-12-07T10:00:00.000Z';
  const view = (halted?: BundleView['release']['halted']): BundleView =>
    ({
      release: {
        id: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        critical: false,
        notes: '',
        createdAt: at,
        updatedAt: at,
        ...(halted ? { halted } : {}),
      },
      artifact: { size: 10, declaredSize: 10 },
      channel: 'production',
      version: 3,
      active: true,
    }) as unknown as BundleView;

  it("shows why a halt rule stopped a bundle's rollout, and null otherwise, in the bundle answer's schema", () => {
    const halted = bundleDto(app, view({ reason: 'failure rate 0.5 over 4 reports exceeds …', at, failureRate: 0.5, reports: 4 }));
    assert.deepEqual(halted.halted, { reason: 'failure rate 0.5 over 4 reports exceeds …', at, failure_rate: 0.5, reports: 4 });
    assert.equal(bundleDto(app, view()).halted, null);
    for (const answer of [halted, bundleDto(app, view())]) assert.ok(bundleAnswer.safeParse(answer).success, JSON.stringify(answer));
  });
});
