import { createHash } from 'node:crypto';
import { NotFound, shown, TooMany } from '../domain/errors.js';
import { isId } from '../domain/ids.js';
import type { App, Halt, HaltRule, Release } from '../domain/model.js';
import { API_PREFIX } from '../domain/public-paths.js';
import type { AppRepository } from '../storage/app-repository.js';
import type { FeedRepository } from '../storage/feed-repository.js';
import type { InstallOutcome, InstallReportRepository, OutcomeCounts, ReportEffect } from '../storage/install-report-repository.js';
import type { ReleaseService, ReleaseView } from './release-service.js';

/** A device reports again on the same release at most this often (a faster one is a 429). */
export const REPORT_INTERVAL_MS = 10_000;

export interface NewInstallReport {
  deviceId: string;
  /** The app's slug or id. */
  app: string;
  channel: string;
  fromVersion: string;
  toVersion: string;
  outcome: InstallOutcome;
  error?: string;
}

/** A release's install figures: totals, failure rate and per day. */
export interface InstallFigures {
  totals: OutcomeCounts;
  reports: number;
  failureRate: number;
  days: (OutcomeCounts & { day: string })[];
}

/** A system action for the audit trail (a halt rule's halt): the owner's trail, the release and the figures. */
export type SystemAudit = (ownerId: string, event: { action: string; path: string; detail: string }) => Promise<void>;

/** Reports and rates: failures and rollbacks over all reports. */
export function failureRate(totals: OutcomeCounts): { reports: number; failureRate: number } {
  const reports = totals.success + totals.failure + totals.rollback;
  return { reports, failureRate: reports === 0 ? 0 : (totals.failure + totals.rollback) / reports };
}

/** The halt a rule decides on these totals, or undefined when it does not trip. */
export function haltFor(rule: HaltRule | undefined, totals: OutcomeCounts, at: string): Halt | undefined {
  if (!rule) return undefined;
  const { reports, failureRate: rate } = failureRate(totals);
  if (reports < rule.minReports || rate <= rule.maxFailureRate) return undefined;
  return {
    reason: `failure rate ${round(rate)} over ${reports} reports exceeds the halt rule's ${rule.maxFailureRate} (at least ${rule.minReports} reports)`,
    at,
    failureRate: round(rate),
    reports,
  };
}

/**
 * Install reports from devices, per release, and the halt rules they trip. A device counts once
 * per release (its latest outcome; its id is kept only as a hash), and each report evaluates the
 * release's halt rule on the totals it produced: a trip halts the rollout through
 * `ReleaseService.halt` (the same save as a person's set-rollout) and is recorded in the owner's
 * audit trail as the system's.
 */
export class InstallReports {
  constructor(
    private readonly apps: Pick<AppRepository, 'get'>,
    private readonly slugs: Pick<FeedRepository, 'claim'>,
    private readonly reports: Pick<InstallReportRepository, 'record' | 'figures'>,
    private readonly releases: Pick<ReleaseService, 'findByVersion' | 'halt'>,
    private readonly audit: SystemAudit,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async report(input: NewInstallReport): Promise<{ effect: ReportEffect; release: ReleaseView; halted: boolean }> {
    const app = await this.app(input.app);
    const view = await this.releases.findByVersion(app, input.toVersion);
    if (view?.release.status !== 'published') {
      throw new NotFound(`No published release ${shown(input.toVersion)} in app ${shown(input.app)}`);
    }
    const at = this.now().toISOString();
    const recorded = await this.reports.record(
      {
        releaseId: view.release.id,
        deviceHash: deviceHash(view.release.id, input.deviceId),
        outcome: input.outcome,
        fromVersion: input.fromVersion,
        channel: input.channel,
        ...(input.error ? { error: input.error } : {}),
        at,
      },
      REPORT_INTERVAL_MS,
    );
    if (recorded === 'too_soon')
      throw new TooMany(`This device reported on ${input.toVersion} less than ${REPORT_INTERVAL_MS / 1000} s ago`);
    const { effect, totals } = recorded;
    if (!haltFor(view.release.haltRule, totals, at)) return { effect, release: view, halted: false };
    // Decided again on the release as the halt reads it (its rule may have changed, or another report halted it).
    const halted = await this.releases.halt(app, view.release.id, (release: Release) => haltFor(release.haltRule, totals, at));
    if (!halted?.release.halted) return { effect, release: view, halted: false };
    await this.audit(app.ownerId, {
      action: 'HaltRollout',
      path: `${API_PREFIX}/apps/${app.id}/releases/${view.release.id}/rollout`,
      detail: `${view.release.version}: rollout ${view.release.rolloutPercent}% -> 0%: ${halted.release.halted.reason}`,
    });
    return { effect, release: halted, halted: true };
  }

  /** A release's figures (the release is the caller's, authorized by the route). */
  async figures(releaseId: string): Promise<InstallFigures> {
    const { totals, days } = await this.reports.figures(releaseId);
    const { reports, failureRate: rate } = failureRate(totals);
    return { totals, reports, failureRate: round(rate), days };
  }

  private async app(ref: string): Promise<App> {
    const appId = isId(ref) ? ref : (await this.slugs.claim(ref))?.appId;
    const app = appId === undefined ? undefined : await this.apps.get(appId);
    if (!app || app.deleting) throw new NotFound(`App ${shown(ref)} not found`);
    return app;
  }
}

/** A device as stored with its report: a hash of the release and its id (never the raw id). */
function deviceHash(releaseId: string, deviceId: string): string {
  return createHash('sha256').update(`${releaseId}\n${deviceId}`).digest('base64url');
}

function round(rate: number): number {
  return Math.round(rate * 10_000) / 10_000;
}
