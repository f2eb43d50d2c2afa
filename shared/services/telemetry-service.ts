/**
 * What the owner sees of telemetry: faynoSync's `GET /telemetry` for an account and the native
 * per-app stats. A team user sees its owner's telemetry limited to its allowed lists (apps, and
 * channels, platforms and archs by name); an API token to the apps of its scope.
 */
import type { Caller } from '../domain/caller.js';
import { Invalid } from '../domain/errors.js';
import { unionOf } from '../domain/hyperloglog.js';
import type { App } from '../domain/model.js';
import type { CounterRow } from '../domain/telemetry-counters.js';
import { type TelemetryFilters, telemetryDays, telemetryReport } from '../domain/telemetry-report.js';
import type { RolloutRow, RolloutSide } from '../domain/telemetry-rollouts.js';
import { compareVersions } from '../domain/version.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { CatalogRepository } from '../storage/catalog-repository.js';
import type { TelemetryRows } from '../storage/telemetry-repository.js';

export interface TelemetryQuery {
  date?: string;
  range?: string;
  apps?: string;
  channels?: string;
  platforms?: string;
  architectures?: string;
}

export const INVALID_RANGE = "Invalid range parameter. Use 'week' or 'month'";
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The native stats of one app: its rows of the range, one per day and dimensions. */
export interface AppStats {
  from: string;
  to: string;
  totals: { requests: number; uniqueClients: number };
  rows: {
    day: string;
    channel: string;
    platform: string;
    arch: string;
    version: string;
    state: string;
    requests: number;
    uniqueClients: number;
  }[];
  /** Each partial rollout's devices inside and outside it, over the range and per day (telemetry-rollouts.ts). */
  rollouts: RolloutStats[];
}

export interface Counts {
  requests: number;
  uniqueClients: number;
}

export interface RolloutStats {
  releaseId: string;
  version: string;
  in: Counts;
  out: Counts;
  days: { day: string; in: Counts; out: Counts }[];
}

export class TelemetryService {
  constructor(
    private readonly apps: Pick<AppRepository, 'allByOwner'>,
    private readonly catalogs: Pick<CatalogRepository, 'all' | 'ownerName'>,
    private readonly rows: Pick<TelemetryRows, 'rows' | 'rolloutRows'>,
    private readonly today: () => string = () => new Date().toISOString().slice(0, 10),
  ) {}

  /** faynoSync's telemetry answer for the caller's account. */
  async faynoReport(caller: Caller, q: TelemetryQuery) {
    if (q.range !== undefined && q.range !== 'week' && q.range !== 'month') throw new Invalid(INVALID_RANGE);
    if (q.date !== undefined && (!DAY.test(q.date) || Number.isNaN(Date.parse(q.date))))
      throw new Invalid('Invalid date format. Use YYYY-MM-DD');
    const days = telemetryDays(this.today(), q.range as 'week' | 'month' | undefined, q.date);
    const names = list(q.apps);
    const visible = await this.visibleApps(caller);
    const inScope = visible.filter((app) => names === undefined || names.includes(app.name));
    const filters = await this.filtersFor(caller, {
      channels: list(q.channels),
      platforms: list(q.platforms),
      architectures: list(q.architectures),
    });
    const apps = await Promise.all(
      inScope.map(async (app) => ({ appId: app.id, rows: await this.rows.rows(app.id, days[0] as string, days.at(-1) as string) })),
    );
    const admin = caller.ownerName ?? (await this.catalogs.ownerName(caller.ownerId)) ?? '';
    // faynoSync: daily_stats lists the days only when an app is in scope; without `apps=`, only apps with data are.
    const counted = names === undefined ? apps.filter((a) => a.rows.length > 0) : apps;
    return telemetryReport({ admin, days, apps: counted, filters });
  }

  /** One app's counts per day and dimensions (the app already authorized by the route). */
  async appStats(appId: string, q: { from?: string; to?: string }): Promise<AppStats> {
    const to = q.to ?? this.today();
    const from = q.from ?? telemetryDays(to, 'month', undefined)[0] ?? to;
    for (const day of [from, to])
      if (!DAY.test(day) || Number.isNaN(Date.parse(day))) throw new Invalid('from and to are dates: YYYY-MM-DD');
    if (from > to) throw new Invalid('from is after to');
    const [rows, rolloutRows]: [CounterRow[], RolloutRow[]] = await Promise.all([
      this.rows.rows(appId, from, to),
      this.rows.rolloutRows(appId, from, to),
    ]);
    return {
      from,
      to,
      totals: { requests: rows.reduce((n, r) => n + r.requests, 0), uniqueClients: unionOf(rows.map((r) => r.clients)).count() },
      rows: rows.map((r) => ({
        day: r.day,
        channel: r.channel,
        platform: r.platform,
        arch: r.arch,
        version: r.version,
        state: r.state,
        requests: r.requests,
        uniqueClients: r.clients.count(),
      })),
      rollouts: rolloutStats(rolloutRows),
    };
  }

  private async visibleApps(caller: Caller): Promise<App[]> {
    const all = await this.apps.allByOwner(caller.ownerId);
    if (caller.kind === 'team') return all.filter((app) => caller.permissions.apps.allowed.includes(app.id));
    if (caller.kind === 'token') return all.filter((app) => caller.scope.apps.includes(app.id));
    return all;
  }

  /** A team user's filters: what it asked, within the names of its allowed channels, platforms and archs. */
  private async filtersFor(caller: Caller, asked: TelemetryFilters): Promise<TelemetryFilters> {
    if (caller.kind !== 'team') return asked;
    const catalog = await this.catalogs.all(caller.ownerId);
    const allowedNames = (entries: readonly { id: string; name: string }[], ids: readonly string[]) =>
      entries.filter((e) => ids.includes(e.id)).map((e) => e.name);
    const within = (wanted: readonly string[] | undefined, allowed: string[]) =>
      wanted ? wanted.filter((w) => allowed.includes(w)) : allowed;
    const p = caller.permissions;
    return {
      channels: within(asked.channels, allowedNames(catalog.channels, p.channels.allowed)),
      platforms: within(asked.platforms, allowedNames(catalog.platforms, p.platforms.allowed)),
      architectures: within(asked.architectures, allowedNames(catalog.archs, p.archs.allowed)),
    };
  }
}

/** Rollout rows grouped per release (newest version first), each side a union over the days. */
function rolloutStats(rows: readonly RolloutRow[]): RolloutStats[] {
  const byRelease = new Map<string, RolloutRow[]>();
  for (const row of rows) byRelease.set(row.releaseId, [...(byRelease.get(row.releaseId) ?? []), row]);
  const side = (of: readonly RolloutRow[], which: RolloutSide): Counts => {
    const mine = of.filter((r) => r.side === which);
    return { requests: mine.reduce((n, r) => n + r.requests, 0), uniqueClients: unionOf(mine.map((r) => r.clients)).count() };
  };
  return [...byRelease.entries()]
    .map(([releaseId, of]) => ({
      releaseId,
      version: of[0]?.version ?? '',
      in: side(of, 'in'),
      out: side(of, 'out'),
      days: [...new Set(of.map((r) => r.day))].sort().map((day) => {
        const ofDay = of.filter((r) => r.day === day);
        return { day, in: side(ofDay, 'in'), out: side(ofDay, 'out') };
      }),
    }))
    .sort((a, b) => compareVersions(b.version, a.version) || a.releaseId.localeCompare(b.releaseId));
}

function list(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return value
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}
