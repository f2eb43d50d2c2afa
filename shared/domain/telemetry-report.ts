/**
 * faynoSync's `GET /telemetry` answer, computed from counter rows (telemetry-counters.ts). The
 * rules follow faynoSync's own (reference/faynosync-wire.md 2.22): requests are per app and not
 * narrowed by the channel/platform/arch filters; devices are; period totals count a device once;
 * empty lists are `null`, `daily_stats` has every day of the range once an app is in scope.
 * Differences, all from counting with unions of rows: a device that checked two versions (or was
 * current, then outdated) on one day counts under both; `total_active_apps` and
 * `used_versions_count` cover every app in scope, not the last one processed.
 */
import { UniqueCounter, unionOf } from './hyperloglog.js';
import type { CounterRow } from './telemetry-counters.js';

/** Names to keep per dimension; undefined keeps all. */
export interface TelemetryFilters {
  channels?: readonly string[];
  platforms?: readonly string[];
  architectures?: readonly string[];
}

export interface TelemetryScope {
  admin: string;
  /** Every day of the range, oldest first. */
  days: readonly string[];
  /** The apps in scope with their rows in the range. */
  apps: readonly { appId: string; rows: readonly CounterRow[] }[];
  filters: TelemetryFilters;
}

interface Usage {
  client_count: number;
}

/** The answer, keys in faynoSync's struct order. */
export function telemetryReport(scope: TelemetryScope) {
  const rows = scope.apps.flatMap((a) => a.rows);
  const { channels, platforms, architectures } = scope.filters;
  // No filter: every device; an empty list (a team user allowed none): no device.
  const inFilter = (list: readonly string[] | undefined, value: string) => !list || list.includes(value);
  const devices = rows.filter((r) => inFilter(channels, r.channel) && inFilter(platforms, r.platform) && inFilter(architectures, r.arch));
  const count = (of: readonly CounterRow[]) => unionOf(of.map((r) => r.clients)).count();
  const groups = <K extends string>(key: (r: CounterRow) => string, name: K): ({ [P in K]: string } & Usage)[] | null => {
    const by = new Map<string, UniqueCounter>();
    for (const r of devices) {
      const value = key(r);
      if (value === '') continue;
      by.set(value, (by.get(value) ?? new UniqueCounter()).merge(r.clients));
    }
    const list = [...by].map(([value, clients]) => ({ [name]: value, client_count: clients.count() }) as { [P in K]: string } & Usage);
    return list.length > 0 ? list : null;
  };
  const sum = (of: readonly CounterRow[]) => of.reduce((n, r) => n + r.requests, 0);
  const summaryOf = (all: readonly CounterRow[], counted: readonly CounterRow[]) => ({
    total_requests: sum(all),
    unique_clients: count(counted),
    clients_using_latest_version: count(counted.filter((r) => r.state === 'latest')),
    clients_outdated: count(counted.filter((r) => r.state === 'outdated')),
  });

  const knownVersions = [...new Set(rows.map((r) => r.version).filter((v) => v !== ''))].sort();
  const usage = knownVersions
    .map((version) => ({ version, client_count: count(devices.filter((r) => r.version === version)) }))
    .filter((u) => u.client_count > 0);
  const activeApps = scope.apps.filter((a) => a.rows.length > 0).length;
  return {
    date: scope.days[0] ?? '',
    date_range: scope.days,
    admin: scope.admin,
    summary: { ...summaryOf(rows, devices), total_active_apps: activeApps },
    versions: {
      used_versions_count: usage.length,
      known_versions: knownVersions.length > 0 ? knownVersions : null,
      usage: usage.length > 0 ? usage : null,
    },
    platforms: groups((r) => r.platform, 'platform'),
    architectures: groups((r) => r.arch, 'arch'),
    channels: groups((r) => r.channel, 'channel'),
    daily_stats:
      scope.apps.length > 0
        ? scope.days.map((date) => ({
            date,
            ...summaryOf(
              rows.filter((r) => r.day === date),
              devices.filter((r) => r.day === date),
            ),
          }))
        : [],
  };
}

/** The days of `range` ending `today` (week: 8 days, month: 31, as faynoSync), or the one `date`. */
export function telemetryDays(today: string, range: 'week' | 'month' | undefined, date: string | undefined): string[] {
  if (date) return [date];
  const span = range === 'month' ? 30 : range === 'week' ? 7 : 0;
  const end = Date.parse(`${today}T00:00:00Z`);
  return Array.from({ length: span + 1 }, (_, i) => new Date(end - (span - i) * 86_400_000).toISOString().slice(0, 10));
}
