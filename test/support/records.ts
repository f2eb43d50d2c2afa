import type { Release } from '../../shared/domain/model.js';

/** The time every test record was made at. */
export const T0 = '2026-01-01T00:00:00.000Z';

/** A published, fully rolled-out release of app `APP` in `stable` (id `R<version>`), with `changes` on top. */
export function releaseRecord(version: string, changes: Partial<Release> = {}): Release {
  return {
    id: `R${version}`,
    appId: 'APP',
    version,
    channelId: 'stable',
    status: 'published',
    notes: '',
    changelog: '',
    critical: false,
    intermediate: false,
    rolloutPercent: 100,
    pubDate: T0,
    createdAt: T0,
    updatedAt: T0,
    ...changes,
  };
}
