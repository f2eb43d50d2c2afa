/**
 * The one aggregation of edge log records, in the cloud (the Kinesis consumer), locally (the
 * gateway's records) and for `npm run telemetry:replay`: parse each line in the configured field
 * order, keep the checks that count, hash their device ids under the deployment's key, and merge
 * one counter row per app and dimensions into storage, and one per partial rollout, day and side
 * (in or out) for the checks its rollout decided.
 */
import type { DeviceHasher } from '../domain/device-hash.js';
import { parseEdgeLogLine } from '../domain/edge-log.js';
import { CounterBatch } from '../domain/telemetry-counters.js';
import { type AppAddress, type CheckHit, type CheckState, checkHit } from '../domain/telemetry-hit.js';
import { decidingWatches, RolloutBatch, type RolloutWatch, rolloutSide } from '../domain/telemetry-rollouts.js';
import type { TelemetryRows } from '../storage/telemetry-repository.js';

/** An app a check named, and how to tell whether the device was told it is current (faynoSync). */
export interface ResolvedApp {
  appId: string;
  /** The state of a check whose answer the record does not show; undefined: the hit does not count. Absent: the hit's own. */
  stateOf?: (hit: CheckHit) => CheckState | undefined;
  /** The app's partial rollouts and the feeds serving them, for the in/out split (telemetry-rollouts.ts). */
  rollouts?: readonly RolloutWatch[];
}

export interface TelemetryApps {
  resolve(address: AppAddress): Promise<ResolvedApp | undefined>;
}

export interface AggregationResult {
  /** Lines read. */
  records: number;
  /** Checks counted. */
  counted: number;
  /** Distinct counter rows of the batch, rollout rows included. */
  rows: number;
  /** Writes made (one per row, more only when two aggregators raced on a row). */
  writes: number;
}

export class TelemetryAggregator {
  constructor(
    private readonly apps: TelemetryApps,
    private readonly hash: DeviceHasher,
    private readonly store: Pick<TelemetryRows, 'merge'>,
  ) {}

  /** Aggregates one batch of log lines. */
  async ingest(lines: Iterable<string>): Promise<AggregationResult> {
    const batch = new CounterBatch();
    const rollouts = new RolloutBatch();
    const resolved = new Map<string, Promise<ResolvedApp | undefined>>();
    let records = 0;
    let counted = 0;
    for (const line of lines) {
      if (line.trim() === '') continue;
      records++;
      const record = parseEdgeLogLine(line);
      const hit = record && checkHit(record);
      if (!hit) continue;
      const addressKey = hit.app.kind === 'slug' ? `s\n${hit.app.slug}` : `f\n${hit.app.owner}\n${hit.app.appName}`;
      let pending = resolved.get(addressKey);
      if (!pending) {
        pending = this.apps.resolve(hit.app);
        resolved.set(addressKey, pending);
      }
      const app = await pending;
      if (!app) continue;
      const state = app.stateOf ? app.stateOf(hit) : hit.state;
      if (state === undefined) continue;
      const device = this.hash(app.appId, hit.deviceId);
      batch.add(
        app.appId,
        { day: hit.day, channel: hit.channel, platform: hit.platform, arch: hit.arch, version: hit.version, state },
        device,
      );
      counted++;
      for (const watch of app.rollouts ? decidingWatches(hit, app.rollouts) : []) {
        const side = rolloutSide(hit, watch);
        if (side) rollouts.add(app.appId, watch, hit.day, side, device);
      }
    }
    const size = batch.size + rollouts.size;
    const writes = size > 0 ? await this.store.merge(batch.all(), rollouts.all()) : 0;
    return { records, counted, rows: size, writes };
  }
}
