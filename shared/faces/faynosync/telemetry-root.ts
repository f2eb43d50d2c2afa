/**
 * The telemetry aggregator of this container, built once: the Kinesis consumer, the local
 * gateway's log and `npm run telemetry:replay` all run this one. It lives with the faynoSync face
 * because deciding whether a faynoSync check told its device "current" is that face's check.
 */
import { dynamoDocumentClient } from '../../clients/dynamodb.js';
import { ENV, requireEnv } from '../../config/env.js';
import { deviceHasher } from '../../domain/device-hash.js';
import type { FaynoView } from '../../domain/fayno-view.js';
import type { CheckHit, CheckState } from '../../domain/telemetry-hit.js';
import { faynoViewRepository, feedRepository } from '../../services/container.js';
import { TelemetryAggregator } from '../../services/telemetry-aggregator.js';
import { StoredTelemetryApps } from '../../services/telemetry-apps.js';
import { TelemetryRepository } from '../../storage/telemetry-repository.js';
import { checkVersion } from './check.js';

let aggregator: TelemetryAggregator | undefined;

export function telemetryAggregator(): TelemetryAggregator {
  if (!aggregator) {
    const key = Buffer.from(requireEnv(ENV.telemetryKey), 'utf8');
    aggregator = new TelemetryAggregator(
      new StoredTelemetryApps(feedRepository(), faynoViewRepository(), faynoCheckState),
      deviceHasher(key),
      new TelemetryRepository(dynamoDocumentClient(), requireEnv(ENV.tableName)),
    );
  }
  return aggregator;
}

/**
 * A check: whether faynoSync's check answered this device "update available" (outdated) or not
 * (latest, a rollback offer included), recomputed from the app's view as the check computed it. A beacon: what it says, counted only when its channel,
 * platform and arch are an uploaded combination of the app (as faynoSync's beacon).
 */
export function faynoCheckState(view: FaynoView, hit: CheckHit, now = new Date()): CheckState | undefined {
  if (hit.source === 'beacon') return uploadedTuple(view, hit) ? hit.state : undefined;
  try {
    const outcome = checkVersion(
      view,
      { appName: view.appName, version: hit.version, channel: hit.channel, platform: hit.platform, arch: hit.arch },
      '',
      now,
    );
    // faynoSync's own JSON says it; a per-updater answer (Tauri's JSON, a redirect) is an offer, its 204 is "current".
    if (outcome.kind === 'no-content') return 'latest';
    if (outcome.kind === 'json' && typeof outcome.body.update_available === 'boolean')
      return outcome.body.update_available ? 'outdated' : 'latest';
    return 'outdated';
  } catch {
    return 'unknown';
  }
}

function uploadedTuple(view: FaynoView, hit: CheckHit): boolean {
  return (view.versions[hit.channel] ?? []).some((v) => v.files.some((f) => f.p === hit.platform && f.a === hit.arch));
}
