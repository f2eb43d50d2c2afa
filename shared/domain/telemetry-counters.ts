/**
 * The counter rows telemetry keeps: one per app, UTC day and (channel, platform, arch, version,
 * state), each with the number of counted checks and the unique devices among them
 * (hyperloglog.ts). Rows of any grouping unite without counting a device twice, so every figure
 * of `GET /telemetry` and of the native stats is a union of rows.
 */

import { UniqueCounter } from './hyperloglog.js';
import type { CheckState } from './telemetry-hit.js';

/** Days a row is kept (DynamoDB's TTL removes it; faynoSync keeps 30 days). */
export const TELEMETRY_RETENTION_DAYS = 30;

export interface CounterDimensions {
  day: string;
  channel: string;
  platform: string;
  arch: string;
  version: string;
  state: CheckState;
}

export interface CounterRow extends CounterDimensions {
  appId: string;
  requests: number;
  clients: UniqueCounter;
}

/** The row's sort key inside its app (day first: a date range is one key range). */
export function counterSortKey(d: CounterDimensions): string {
  return [d.day, d.channel, d.platform, d.arch, d.version, d.state].map((part) => part.replaceAll('#', '%23')).join('#');
}

/** When a row of `day` expires (epoch seconds): the end of the retention window plus a day of slack. */
export function counterExpiry(day: string): number {
  return Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + (TELEMETRY_RETENTION_DAYS + 1) * 86_400;
}

/** The rows of one batch: one per app and dimensions, whatever the number of records. */
export class CounterBatch {
  private readonly rows = new Map<string, CounterRow>();

  add(appId: string, dimensions: CounterDimensions, device: { hi: number; lo: number }): void {
    const id = `${appId}\n${counterSortKey(dimensions)}`;
    let row = this.rows.get(id);
    if (!row) {
      row = { appId, ...dimensions, requests: 0, clients: new UniqueCounter() };
      this.rows.set(id, row);
    }
    row.requests++;
    row.clients.add(device);
  }

  get size(): number {
    return this.rows.size;
  }

  all(): CounterRow[] {
    return [...this.rows.values()];
  }
}
