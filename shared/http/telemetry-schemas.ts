/** The native stats of one app (`GET /api/sync/ota/apps/{app_id}/stats`): request query and answer. */
import * as z from 'zod/mini';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const appStatsQuery = z.strictObject({
  /** First day (UTC, YYYY-MM-DD); default: 30 days before `to`. */
  from: z.optional(z.string().check(z.regex(DAY))),
  /** Last day; default: today. */
  to: z.optional(z.string().check(z.regex(DAY))),
});

const counts = { requests: z.number(), unique_clients: z.number() };

export const appStatsAnswer = z.object({
  app_id: z.string(),
  from: z.string(),
  to: z.string(),
  totals: z.object(counts),
  rows: z.array(
    z.object({
      day: z.string(),
      channel: z.string(),
      platform: z.string(),
      arch: z.string(),
      version: z.string(),
      state: z.enum(['latest', 'outdated', 'unknown']),
      ...counts,
    }),
  ),
  /** Each partial rollout's devices inside and outside it (Tauri checks and electron-updater feeds), newest version first. */
  rollouts: z.array(
    z.object({
      release_id: z.string(),
      version: z.string(),
      in: z.object(counts),
      out: z.object(counts),
      days: z.array(z.object({ day: z.string(), in: z.object(counts), out: z.object(counts) })),
    }),
  ),
});
