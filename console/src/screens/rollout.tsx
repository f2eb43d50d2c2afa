/**
 * One release's rollout: the percentage (a slider with a number field), halt and resume, the halt
 * rule (failure rate over N reports), the devices counted in and out of it, the live install
 * figures, and promotion to another channel.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import type { AnswerOf, Release } from '../api.js';
import { Link } from '../router.js';
import { mayOnApps, useSession } from '../session.js';
import { AppLinks } from '../ui/app-links.js';
import { Button, Field, Select } from '../ui/form.js';
import { errorText, Loading, Notice, OutcomeNotice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { Status, when } from '../ui/status.js';
import { Loaded, Table } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

/** How often the install figures are read again while the screen is open. */
const LIVE_EVERY_MS = 5000;

export function RolloutScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const releaseId = props.params.release_id as string;
  const { api } = useSession();
  const params = { app_id: appId, release_id: releaseId };
  const release = useLoad(() => api.call('GetRelease', { params }), [appId, releaseId]);
  const appPath = `/apps/${encodeURIComponent(appId)}`;
  const crumbs = (
    <>
      <Link to="/">Apps</Link> / <Link to={`${appPath}/serving`}>Rollouts</Link>
    </>
  );
  const r = release.value;
  return (
    <Page title={r ? `Rollout of ${r.version}` : 'Rollout'} crumbs={crumbs} actions={r ? <Status value={r.status} /> : null}>
      <AppLinks appId={appId} current="/serving" />
      {release.error ? <Notice kind="error">{errorText(release.error)}</Notice> : null}
      {!r && !release.error ? <Loading what="the release" /> : null}
      {r ? (
        <>
          <p>
            <Link to={`${appPath}/releases/${encodeURIComponent(r.id)}`}>Release {r.version}</Link> on {r.channel}
            {r.promoted_to.length ? ` (also ${r.promoted_to.join(', ')})` : ''}.
          </p>
          {r.status !== 'published' ? (
            <Notice kind="info">Only a published release has a rollout; this one is {r.scheduled ? 'scheduled' : r.status}.</Notice>
          ) : (
            <>
              <Percentage release={r} appId={appId} onChanged={release.reload} />
              <HaltRule release={r} appId={appId} onChanged={release.reload} />
              <Promote release={r} appId={appId} onChanged={release.reload} />
            </>
          )}
          <RolloutDevices appId={appId} releaseId={releaseId} />
          <Installs appId={appId} releaseId={releaseId} />
        </>
      ) : null}
    </Page>
  );
}

function Percentage(props: { release: Release; appId: string; onChanged: () => void }) {
  const { api, me } = useSession();
  const { release } = props;
  const [percent, setPercent] = useState(release.rollout_percent);
  const [resumeTo, setResumeTo] = useState(release.rollout_percent || 100);
  const action = useAction();
  const id = useId();
  useEffect(() => setPercent(release.rollout_percent), [release.rollout_percent]);
  const editable = mayOnApps(me, 'edit', props.appId);
  const set = (to: number, said: string) =>
    action.run(String(to), async () => {
      await api.call('SetRollout', { params: { app_id: props.appId, release_id: release.id }, body: { percent: to } });
      props.onChanged();
      return said;
    });
  const clamp = (value: number) => Math.max(0, Math.min(100, Math.round(Number.isFinite(value) ? value : 0)));
  const halted = release.rollout_percent === 0;
  return (
    <Panel title="Rollout">
      <p>
        Now: <strong>{release.rollout_percent} %</strong> of devices are offered {release.version}
        {halted ? ' (halted: devices get the previous release)' : ''}.
        {release.halted ? (
          <>
            {' '}
            Halted by its rule {when(release.halted.at)}: {release.halted.reason}
          </>
        ) : null}
      </p>
      <form
        class="rollout-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (percent !== 0) setResumeTo(percent);
          void set(percent, `Rollout set to ${percent} %.`);
        }}
      >
        <fieldset disabled={!editable}>
          <legend>Share of devices offered this release</legend>
          <div class="slider">
            <label for={`${id}-range`} class="visually-hidden">
              Rollout percentage (slider)
            </label>
            <input
              id={`${id}-range`}
              type="range"
              min={0}
              max={100}
              step={1}
              value={percent}
              aria-valuetext={`${percent} percent`}
              onInput={(e) => setPercent(clamp(e.currentTarget.valueAsNumber))}
            />
            <label for={`${id}-number`}>Percent</label>
            <input
              id={`${id}-number`}
              type="number"
              min={0}
              max={100}
              step={1}
              value={percent}
              onInput={(e) => setPercent(clamp(e.currentTarget.valueAsNumber))}
            />
          </div>
          <div class="actions">
            <Button type="submit" variant="primary" busy={action.busy === String(percent)} disabled={percent === release.rollout_percent}>
              Apply {percent} %
            </Button>
            {halted ? (
              <Button busy={action.busy === String(resumeTo)} onClick={() => void set(resumeTo, `Resumed at ${resumeTo} %.`)}>
                Resume at {resumeTo} %
              </Button>
            ) : (
              <Button variant="danger" busy={action.busy === '0'} onClick={() => void set(0, 'Halted: no new device gets this release.')}>
                Halt
              </Button>
            )}
          </div>
        </fieldset>
      </form>
      <p class="hint">
        A device is inside the rollout by a stable hash of its id, so raising the share keeps everyone who had it. Devices that send no id
        (Sparkle, Squirrel, Velopack, Tauri static) get a staged release only at 100 %.
      </p>
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}

function HaltRule(props: { release: Release; appId: string; onChanged: () => void }) {
  const { api, me } = useSession();
  const rule = props.release.halt_rule;
  const [rate, setRate] = useState(rule ? String(Math.round(rule.max_failure_rate * 1000) / 10) : '5');
  const [reports, setReports] = useState(rule ? String(rule.min_reports) : '50');
  const action = useAction();
  const editable = mayOnApps(me, 'edit', props.appId);
  const save = (haltRule: { max_failure_rate: number; min_reports: number } | null) =>
    action.run(haltRule ? 'save' : 'remove', async () => {
      await api.call('SetRollout', {
        params: { app_id: props.appId, release_id: props.release.id },
        body: { percent: props.release.rollout_percent, halt_rule: haltRule },
      });
      props.onChanged();
      return haltRule ? 'Halt rule saved.' : 'Halt rule removed.';
    });
  return (
    <Panel title="Halt rule">
      <p>
        {rule
          ? `Halts (sets 0 %) when more than ${Math.round(rule.max_failure_rate * 1000) / 10} % of at least ${rule.min_reports} install reports are failures or rollbacks.`
          : 'No rule: the rollout halts only when you halt it.'}
      </p>
      <form
        class="form-row"
        onSubmit={(e) => {
          e.preventDefault();
          void save({ max_failure_rate: Number(rate) / 100, min_reports: Number(reports) });
        }}
      >
        <Field
          label="Maximum failure rate (%)"
          type="number"
          value={rate}
          required
          disabled={!editable}
          onInput={(e) => setRate(e.currentTarget.value)}
        />
        <Field
          label="Over at least (reports)"
          type="number"
          value={reports}
          required
          disabled={!editable}
          onInput={(e) => setReports(e.currentTarget.value)}
        />
        <Button type="submit" busy={action.busy === 'save'} disabled={!editable}>
          Save rule
        </Button>
        {rule ? (
          <Button busy={action.busy === 'remove'} disabled={!editable} onClick={() => void save(null)}>
            Remove rule
          </Button>
        ) : null}
      </form>
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}

function Promote(props: { release: Release; appId: string; onChanged: () => void }) {
  const { api, me } = useSession();
  const channels = useLoad(() => api.call('ListChannels'), []);
  const offered = new Set([props.release.channel, ...props.release.promoted_to]);
  const choices = (channels.value?.items.map((c) => c.name) ?? []).filter((c) => !offered.has(c));
  const [channel, setChannel] = useState('');
  const action = useAction();
  if (!mayOnApps(me, 'edit', props.appId)) return null;
  const chosen = channel || choices[0] || '';
  return (
    <Panel title="Promote">
      {choices.length === 0 ? (
        <p>Offered on every channel already.</p>
      ) : (
        <div class="form-row">
          <Select label="Promote to channel" options={choices} value={chosen} onChange={(e) => setChannel(e.currentTarget.value)} />
          <Button
            busy={action.busy === 'promote'}
            onClick={() =>
              void action.run('promote', async () => {
                await api.call('PromoteRelease', {
                  params: { app_id: props.appId, release_id: props.release.id },
                  body: { channel: chosen },
                });
                props.onChanged();
                return `Offered on ${chosen} too, with the same files.`;
              })
            }
          >
            Promote
          </Button>
        </div>
      )}
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}

/** The devices whose checks this rollout decided, inside it and outside it, over the stats' 30 days (telemetry). */
function RolloutDevices(props: { appId: string; releaseId: string }) {
  const { api } = useSession();
  const stats = useLoad(() => api.call('GetAppStats', { params: { app_id: props.appId } }), [props.appId]);
  const share = (c: { in: { unique_clients: number }; out: { unique_clients: number } }) => {
    const all = c.in.unique_clients + c.out.unique_clients;
    return all === 0 ? '–' : `${Math.round((c.in.unique_clients / all) * 1000) / 10} %`;
  };
  return (
    <Panel title="Devices in and out">
      <Loaded state={stats} what="the devices">
        {(value) => {
          const split = value.rollouts.find((r) => r.release_id === props.releaseId);
          if (!split)
            return (
              <p class="muted">
                No check was counted for this rollout in the last 30 days. Only checks that carry a device id and whose rollout is decided
                per device count: Tauri checks and electron-updater feeds.
              </p>
            );
          return (
            <>
              <dl class="figures">
                <div>
                  <dt>Devices in</dt>
                  <dd data-figure="devices-in">{split.in.unique_clients}</dd>
                </div>
                <div>
                  <dt>Devices out</dt>
                  <dd data-figure="devices-out">{split.out.unique_clients}</dd>
                </div>
                <div>
                  <dt>Share in</dt>
                  <dd data-figure="share-in">{share(split)}</dd>
                </div>
              </dl>
              <Table
                caption="Per day (UTC): unique devices, with their checks"
                showCaption
                columns={['Day', 'In', 'Out', 'Checks in', 'Checks out']}
              >
                {split.days.map((d) => (
                  <tr key={d.day}>
                    <th scope="row">{d.day}</th>
                    <td>{d.in.unique_clients}</td>
                    <td>{d.out.unique_clients}</td>
                    <td>{d.in.requests}</td>
                    <td>{d.out.requests}</td>
                  </tr>
                ))}
              </Table>
            </>
          );
        }}
      </Loaded>
    </Panel>
  );
}

/** The release's install reports, read again every few seconds while the screen is open. */
function Installs(props: { appId: string; releaseId: string }) {
  const { api } = useSession();
  const figures = useLoad(
    () => api.call('ReleaseInstalls', { params: { app_id: props.appId, release_id: props.releaseId } }),
    [props.appId, props.releaseId],
  );
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible') figures.reload();
    }, LIVE_EVERY_MS);
    return () => clearInterval(timer);
  }, [figures.reload]);
  return (
    <Panel title="Install reports">
      {figures.error ? <Notice kind="error">{errorText(figures.error)}</Notice> : null}
      {figures.value ? <InstallFigures figures={figures.value} /> : figures.error ? null : <Loading what="the figures" />}
    </Panel>
  );
}

function InstallFigures(props: { figures: AnswerOf<'ReleaseInstalls'> }) {
  const f = props.figures;
  const rate = (n: number) => `${Math.round(n * 1000) / 10} %`;
  return (
    <>
      <dl class="figures" aria-live="polite">
        <div>
          <dt>Reports</dt>
          <dd data-figure="reports">{f.reports}</dd>
        </div>
        <div>
          <dt>Installs</dt>
          <dd data-figure="installs">{f.installs}</dd>
        </div>
        <div>
          <dt>Failures</dt>
          <dd data-figure="failures">{f.failures}</dd>
        </div>
        <div>
          <dt>Rollbacks</dt>
          <dd data-figure="rollbacks">{f.rollbacks}</dd>
        </div>
        <div>
          <dt>Failure rate</dt>
          <dd data-figure="failure-rate">{rate(f.failure_rate)}</dd>
        </div>
      </dl>
      {f.days.length ? (
        <div class="table-wrap">
          <table>
            <caption>Per day (UTC)</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col">Installs</th>
                <th scope="col">Failures</th>
                <th scope="col">Rollbacks</th>
                <th scope="col">Failure rate</th>
              </tr>
            </thead>
            <tbody>
              {f.days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{d.date}</th>
                  <td>{d.installs}</td>
                  <td>{d.failures}</td>
                  <td>{d.rollbacks}</td>
                  <td>{rate(d.failure_rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">No install reports yet: apps send them with POST /api/sync/ota/installs (see the install reports docs).</p>
      )}
    </>
  );
}
