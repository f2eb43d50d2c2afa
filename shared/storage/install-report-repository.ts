import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Item, optNum, str } from './item-codec.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';

export const INSTALL_OUTCOMES = ['success', 'failure', 'rollback'] as const;
export type InstallOutcome = (typeof INSTALL_OUTCOMES)[number];

/** Reports of each outcome. */
export type OutcomeCounts = Record<InstallOutcome, number>;

/** One device's report on a release: the device only as a hash, its latest outcome. */
export interface InstallReport {
  releaseId: string;
  deviceHash: string;
  outcome: InstallOutcome;
  fromVersion: string;
  channel: string;
  error?: string;
  /** ISO time of the report; its day is the day it is counted on. */
  at: string;
}

/** What storing a report did: counted anew, replaced the device's earlier outcome, or nothing to change. */
export type ReportEffect = 'counted' | 'replaced' | 'unchanged';

/**
 * Install reports, one item per device and release (`INSTALLS#<release>` / `DEV#<hash>`), and the
 * release's counters: all reports (`TOTAL`) and per day (`DAY#<yyyy-mm-dd>`). A device that
 * reports again replaces its outcome: the Put returns the previous one and the counters move
 * from it to the new one (ADD, atomic), so a device weighs one report whatever it sends.
 */
export class InstallReportRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores the report unless the device reported on this release less than `minIntervalMs` ago
   * ('too_soon'), then moves the counters. Answers the effect and the release's totals after it.
   */
  async record(report: InstallReport, minIntervalMs: number): Promise<{ effect: ReportEffect; totals: OutcomeCounts } | 'too_soon'> {
    const cutoff = new Date(Date.parse(report.at) - minIntervalMs).toISOString();
    let previous: Item | undefined;
    try {
      ({ Attributes: previous } = await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.installReport(report.releaseId, report.deviceHash),
            type: 'install-report',
            ...report,
            expiresAt: expiresAt(report.at),
          },
          ConditionExpression: 'attribute_not_exists(PK) OR #at < :cutoff',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: { ':cutoff': cutoff },
          ReturnValues: 'ALL_OLD',
        }),
      ));
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'too_soon';
      throw error;
    }
    const before = previous ? (str(previous, 'outcome') as InstallOutcome) : undefined;
    const beforeDay = previous ? str(previous, 'at').slice(0, 10) : undefined;
    const day = report.at.slice(0, 10);
    if (before === report.outcome && beforeDay === day) {
      return { effect: 'unchanged', totals: await this.totals(report.releaseId) };
    }
    if (before && beforeDay) await this.move(keys.installDay(report.releaseId, beforeDay), { [before]: -1 }, report.at, beforeDay);
    await this.move(keys.installDay(report.releaseId, day), { [report.outcome]: 1 }, report.at, day);
    const moves: Record<string, number> = before === report.outcome ? {} : { [report.outcome]: 1, ...(before ? { [before]: -1 } : {}) };
    const totals =
      Object.keys(moves).length === 0
        ? await this.totals(report.releaseId)
        : await this.move(keys.installTotals(report.releaseId), moves, report.at);
    return { effect: before ? 'replaced' : 'counted', totals };
  }

  /** The release's totals and its days (oldest first). */
  async figures(releaseId: string): Promise<{ totals: OutcomeCounts; days: (OutcomeCounts & { day: string })[] }> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :days)',
      ExpressionAttributeValues: { ':pk': keys.installsOf(releaseId), ':days': 'DAY#' },
      ConsistentRead: true,
    });
    const days = items.map((item) => ({ day: str(item, 'day'), ...counts(item) })).sort((a, b) => a.day.localeCompare(b.day));
    return { totals: await this.totals(releaseId), days };
  }

  private async totals(releaseId: string): Promise<OutcomeCounts> {
    const { Item } = await this.db.send(
      new GetCommand({ TableName: this.tableName, Key: keys.installTotals(releaseId), ConsistentRead: true }),
    );
    return counts(Item ?? {});
  }

  /** Adds to a counter item's outcomes (atomic ADD) and answers its counts after the change. */
  private async move(key: { PK: string; SK: string }, moves: Record<string, number>, at: string, day?: string): Promise<OutcomeCounts> {
    const names = Object.keys(moves);
    const { Attributes } = await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key,
        UpdateExpression: `SET #type = :type, expiresAt = :expires${day ? ', #day = :day' : ''} ADD ${names.map((_, i) => `#o${i} :n${i}`).join(', ')}`,
        ExpressionAttributeNames: {
          '#type': 'type',
          ...(day ? { '#day': 'day' } : {}),
          ...Object.fromEntries(names.map((name, i) => [`#o${i}`, name])),
        },
        ExpressionAttributeValues: {
          ':type': 'install-counter',
          ':expires': expiresAt(at),
          ...(day ? { ':day': day } : {}),
          ...Object.fromEntries(names.map((name, i) => [`:n${i}`, moves[name]])),
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return counts(Attributes ?? {});
  }
}

/**
 * Reports and counters expire a year after a release's last report (DynamoDB TTL): they outlive
 * any rollout, and a deleted release's or app's are not kept for ever.
 */
function expiresAt(at: string): number {
  return Math.ceil(Date.parse(at) / 1000) + 365 * 86_400;
}

function counts(item: Item): OutcomeCounts {
  return { success: optNum(item, 'success') ?? 0, failure: optNum(item, 'failure') ?? 0, rollback: optNum(item, 'rollback') ?? 0 };
}
