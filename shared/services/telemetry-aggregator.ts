/**
 * The one aggregation of edge log records, in the cloud (the Kinesis consumer), locally (the
 * gateway's records) and for `npm run telemetry:replay`: parse each line in the configured field
 * order, keep the checks that count, hash their device ids under the deployment's key, and merge
 * one counter row per app and dimensions into storage.
 */
import type { DeviceHasher } from '../domain/device-hash.js';
import { parseEdgeLogLine } from '../domain/edge-log.js';
import { CounterBatch } from '../domain/telemetry-counters.js';
import { type AppAddress, type CheckHit, type CheckState, checkHit } from '../domain/telemetry-hit.js';
import type { TelemetryRows } from '../storage/telemetry-repository.js';

/** An app a check named, and how to tell whether the device was told it is current (faynoSync). */
export interface ResolvedApp {
  appId: string;
  /** The state of a check whose answer the record does not show; undefined: the hit does not count. Absent: the hit's own. */
  stateOf?: (hit: CheckHit) => CheckState | undefined;
}

export interface TelemetryApps {
  resolve(address: AppAddress): Promise<ResolvedApp | undefined>;
}

export interface AggregationResult {
  /** Lines read. */
  records: number;
  /** Checks counted. */
  counted: number;
  /** Distinct counter rows of the batch. */
  rows: number;
  /** Writes made (one per row, more only when two aggregators raced on a row). */
  writes: number;
}

export class TelemetryAggregator {
  constructor(
    private readonly apps: TelemetryApps,
    private readonly hash: DeviceHasher,
    private readonly store: TelemetryRows,
  ) {}

  /** Aggregates one batch of log lines. */
  async ingest(lines: Iterable<string>): Promise<AggregationResult> {
    const batch = new CounterBatch();
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
      batch.add(
        app.appId,
        { day: hit.day, channel: hit.channel, platform: hit.platform, arch: hit.arch, version: hit.version, state },
        this.hash(app.appId, hit.deviceId),
      );
      counted++;
    }
    const writes = batch.size > 0 ? await this.store.merge(batch.all()) : 0;
    return { records, counted, rows: batch.size, writes };
  }
}
