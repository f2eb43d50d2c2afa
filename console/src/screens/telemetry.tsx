/**
 * An app's telemetry over time: requests, unique clients, versions, platforms and channels per day,
 * from `GET …/apps/{app_id}/stats`, drawn with uPlot (a canvas; it styles its own elements through
 * the CSSOM, which the console's CSP allows) with the same figures in a table beside each chart.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { AnswerOf } from '../api.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { AppLinks } from '../ui/app-links.js';
import { Button, Select } from '../ui/form.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { useLoad } from '../ui/use-load.js';

type Stats = AnswerOf<'GetAppStats'>;
type Row = Stats['rows'][number];

const RANGES = ['7 days', '30 days'] as const;
/** Colours of the series, in order (distinct for common colour-vision deficiencies: Okabe–Ito). */
const PALETTE = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#56b4e9', '#d55e00', '#f0e442', '#000000'];
/** At most this many series per chart; the rest are summed as "other". */
const MAX_SERIES = 6;

/** One chart's figures: days, and a count per day for each named series. */
export interface Chart {
  days: string[];
  series: { name: string; values: number[] }[];
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Every day from `from` to `to` (UTC, inclusive), so days without checks show as 0. */
function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let d = new Date(`${from}T00:00:00Z`); isoDay(d) <= to; d.setUTCDate(d.getUTCDate() + 1)) days.push(isoDay(d));
  return days;
}

/**
 * Sums the stats rows per day, split by one dimension (or none): requests, or unique clients.
 * Unique clients are exact per row; a sum over rows counts a device twice when it was in two rows
 * on one day (two versions, say), which the screen says.
 */
export function chartOf(stats: Stats, measure: 'requests' | 'unique_clients', by?: 'version' | 'platform' | 'channel'): Chart {
  const days = daysBetween(stats.from, stats.to);
  const index = new Map(days.map((d, i) => [d, i]));
  const totals = new Map<string, number[]>();
  const nameOf = (row: Row) => {
    if (by === 'platform') return `${row.platform} ${row.arch}`;
    // A check that names no channel is answered from the app's default channel.
    if (by === 'channel') return row.channel || 'default channel';
    if (by === 'version') return row.version || 'unknown';
    return measure === 'requests' ? 'Requests' : 'Unique clients';
  };
  for (const row of stats.rows) {
    const i = index.get(row.day);
    if (i === undefined) continue;
    const name = nameOf(row);
    const values = totals.get(name) ?? days.map(() => 0);
    values[i] = (values[i] ?? 0) + row[measure];
    totals.set(name, values);
  }
  const ranked = [...totals.entries()].sort((a, b) => sum(b[1]) - sum(a[1]));
  const series = ranked.slice(0, MAX_SERIES).map(([name, values]) => ({ name, values }));
  const rest = ranked.slice(MAX_SERIES);
  if (rest.length) series.push({ name: 'other', values: days.map((_, i) => sum(rest.map(([, v]) => v[i] ?? 0))) });
  return { days, series };
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

export function TelemetryScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api } = useSession();
  const [range, setRange] = useState<(typeof RANGES)[number]>('7 days');
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const stats = useLoad(() => {
    const to = new Date();
    const from = new Date(to.getTime() - (range === '7 days' ? 6 : 29) * 86_400_000);
    return api.call('GetAppStats', { params: { app_id: appId }, query: { from: isoDay(from), to: isoDay(to) } });
  }, [appId, range]);
  const s = stats.value;
  return (
    <Page
      title={`Telemetry${app.value ? ` of ${app.value.name}` : ''}`}
      crumbs={<Link to="/">Apps</Link>}
      actions={<Button onClick={stats.reload}>Reload</Button>}
    >
      <AppLinks appId={appId} current="/stats" />
      <div class="filters">
        <Select
          label="Period"
          options={RANGES}
          value={range}
          onChange={(e) => setRange(e.currentTarget.value as (typeof RANGES)[number])}
        />
      </div>
      {stats.error ? <Notice kind="error">{errorText(stats.error)}</Notice> : null}
      {!s && !stats.error ? <Loading what="telemetry" /> : null}
      {s ? (
        <>
          <dl class="figures">
            <div>
              <dt>Requests</dt>
              <dd data-figure="requests">{s.totals.requests}</dd>
            </div>
            <div>
              <dt>Unique clients</dt>
              <dd data-figure="unique-clients">{s.totals.unique_clients}</dd>
            </div>
          </dl>
          <p class="hint">
            Checks that carry a device id, counted from the edge's log (cache hits included), {s.from} to {s.to} (UTC); counts arrive within
            a minute. Per-day unique clients add up the rows of a day, so a device seen with two versions that day counts twice.
          </p>
          <ChartPanel title="Requests per day" chart={chartOf(s, 'requests')} />
          <ChartPanel title="Unique clients per day" chart={chartOf(s, 'unique_clients')} />
          <ChartPanel title="Unique clients by version" chart={chartOf(s, 'unique_clients', 'version')} />
          <ChartPanel title="Unique clients by platform" chart={chartOf(s, 'unique_clients', 'platform')} />
          <ChartPanel title="Requests by channel" chart={chartOf(s, 'requests', 'channel')} />
        </>
      ) : null}
    </Page>
  );
}

/** A chart and its table: the chart for the eye (hidden from screen readers), the table for everyone. */
function ChartPanel(props: { title: string; chart: Chart }) {
  const { chart } = props;
  const empty = chart.series.length === 0;
  return (
    <Panel title={props.title}>
      {empty ? (
        <p class="muted">No counted checks in this period.</p>
      ) : (
        <div class="chart-pair">
          <Plot chart={chart} title={props.title} />
          <div class="table-wrap chart-table">
            <table>
              <caption class="visually-hidden">{props.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  {chart.series.map((s) => (
                    <th scope="col" key={s.name}>
                      {s.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {/* Newest first: the day people look for is at the top. */}
                {chart.days
                  .map((day, i) => ({ day, i }))
                  .reverse()
                  .map(({ day, i }) => (
                    <tr key={day}>
                      <th scope="row">{day}</th>
                      {chart.series.map((s) => (
                        <td key={s.name}>{s.values[i] ?? 0}</td>
                      ))}
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Panel>
  );
}

/** uPlot in a div that follows its container's width. */
function Plot(props: { chart: Chart; title: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const { chart } = props;
    const xs = chart.days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const width = () => Math.max(260, el.clientWidth);
    const plot = new uPlot(
      {
        width: width(),
        height: 220,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        axes: [{}, { size: 50 }],
        series: [
          { label: 'Day', value: (_u, v) => (v == null ? '' : isoDay(new Date(v * 1000))) },
          ...chart.series.map((s, i) => ({
            label: s.name,
            stroke: PALETTE[i % PALETTE.length] as string,
            width: 2,
            points: { show: true, size: 6 },
          })),
        ],
      },
      [xs, ...chart.series.map((s) => s.values)],
      el,
    );
    const observer = new ResizeObserver(() => plot.setSize({ width: width(), height: 220 }));
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.destroy();
    };
  }, [props.chart]);
  return <div class="chart" ref={box} aria-hidden="true" data-chart={props.title} />;
}
