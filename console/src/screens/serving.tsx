/**
 * An app's rollouts: what each channel serves each platform right now (what `ota status` prints),
 * the published releases with their rollout, and rolling a channel back to one of its versions.
 */
import { useState } from 'preact/hooks';
import { releaseChannelNames, servedRows } from '../../../shared/domain/serving.js';
import type { Release } from '../api.js';
import { Link } from '../router.js';
import { mayOnApps, useSession } from '../session.js';
import { AppPage } from '../ui/app-links.js';
import { Button, Select } from '../ui/form.js';
import { Loading, OutcomeNotice } from '../ui/notice.js';
import { Panel } from '../ui/page.js';
import { Loaded, Table } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

export function ServingScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, me } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const releases = useLoad(
    () => api.call('ListReleases', { params: { app_id: appId }, query: { status: 'published', limit: '100' } }),
    [appId],
  );
  const channels = useLoad(() => api.call('ListChannels'), []);
  const published = (releases.value?.releases ?? []).filter((r) => !r.scheduled);
  // The rules of the feeds, as `ota status` applies them: followed channels, promotions, pre-releases.
  // Without the catalog (a caller that may not read it), the channels the releases name, as `ota status` does.
  const channelList = channels.value?.items ?? (channels.error ? releaseChannelNames(published).map((name) => ({ name })) : undefined);
  const rows = channelList ? servedRows(published, channelList) : undefined;
  const base = `/apps/${encodeURIComponent(appId)}`;
  return (
    <AppPage what="Rollouts" app={app} appId={appId} current="/serving">
      <Loaded state={releases} what="releases">
        {() => (
          <>
            <Panel title="Served right now">
              {rows === undefined ? (
                <Loading what="the channels" />
              ) : rows.length === 0 ? (
                <p>Nothing is served yet: publish a release.</p>
              ) : (
                <Table
                  caption="What each channel serves each platform"
                  columns={['Channel', 'Platform', 'Arch', 'Package', 'Every device gets', 'Rolling out', 'At 0 %']}
                >
                  {rows.map((s) => (
                    <tr key={`${s.channel}/${s.target}/${s.arch}/${s.package}`}>
                      <th scope="row">
                        {s.channel}
                        {s.channel === app.value?.default_channel ? <span class="muted"> (default)</span> : null}
                      </th>
                      <td>{s.target}</td>
                      <td>{s.arch}</td>
                      <td>{s.package}</td>
                      <td>
                        {s.version === null ? (
                          'no update'
                        ) : (
                          <Link to={`${base}/releases/${encodeURIComponent(s.release_id ?? '')}/rollout`}>{s.version}</Link>
                        )}
                        {s.from ? <span class="muted"> (from {s.from})</span> : null}
                      </td>
                      <td>
                        {s.partial.length === 0
                          ? '—'
                          : s.partial.map((p, i) => (
                              <span key={p.release_id}>
                                {i > 0 ? ', ' : ''}
                                <Link to={`${base}/releases/${encodeURIComponent(p.release_id)}/rollout`}>{p.version}</Link> to {p.percent}{' '}
                                %
                              </span>
                            ))}
                      </td>
                      <td>{s.halted.length === 0 ? '—' : s.halted.map((v) => `${v} at 0 %`).join(', ')}</td>
                    </tr>
                  ))}
                </Table>
              )}
            </Panel>
            <Panel title="Published releases">
              <Published releases={published} base={base} />
            </Panel>
            {mayOnApps(me, 'edit', appId) ? <Rollback appId={appId} releases={published} onDone={releases.reload} /> : null}
          </>
        )}
      </Loaded>
    </AppPage>
  );
}

function Published(props: { releases: Release[]; base: string }) {
  if (props.releases.length === 0) return <p>No published release.</p>;
  return (
    <ul class="rollouts">
      {props.releases.map((r) => (
        <li key={r.id}>
          <Link to={`${props.base}/releases/${encodeURIComponent(r.id)}/rollout`}>
            {r.version} on {[r.channel, ...r.promoted_to].join(', ')}
          </Link>
          <meter min={0} max={100} value={r.rollout_percent} aria-label={`Rollout of ${r.version}`} />
          <span>
            {r.rollout_percent} %{r.halted ? ' (halted by its rule)' : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}

function Rollback(props: { appId: string; releases: Release[]; onDone: () => void }) {
  const { api } = useSession();
  const channels = releaseChannelNames(props.releases);
  const [channel, setChannel] = useState('');
  const [to, setTo] = useState('');
  const action = useAction();
  const chosenChannel = channel || channels[0] || '';
  const versions = props.releases.filter((r) => r.channel === chosenChannel || r.promoted_to.includes(chosenChannel)).map((r) => r.version);
  const chosenTo = versions.includes(to) ? to : (versions[1] ?? versions[0] ?? '');
  if (channels.length === 0) return null;
  return (
    <Panel title="Roll a channel back">
      <p>Every release of the channel newer than the version you pick leaves the channel in one step; clients get that version again.</p>
      <div class="form-row">
        <Select label="Channel" options={channels} value={chosenChannel} onChange={(e) => setChannel(e.currentTarget.value)} />
        <Select label="Back to version" options={versions} value={chosenTo} onChange={(e) => setTo(e.currentTarget.value)} />
        <Button
          variant="danger"
          busy={action.busy === 'rollback'}
          disabled={!chosenTo}
          onClick={() =>
            void action.run('rollback', async () => {
              const done = await api.call('RollbackChannel', {
                params: { app_id: props.appId, channel: chosenChannel },
                body: { to: chosenTo },
              });
              props.onDone();
              const gone = [...done.yanked, ...done.withdrawn].map((r) => r.version);
              return `${done.channel} serves ${done.to.version} again${gone.length ? ` (${gone.join(', ')} left the channel)` : ''}.`;
            })
          }
        >
          Roll back
        </Button>
      </div>
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}
