/** An app's releases, per channel and state (drafts, published, yanked, scheduled), and a new release. */
import { useState } from 'preact/hooks';
import type { Release } from '../api.js';
import { href, Link, navigate, useLocation } from '../router.js';
import { mayOnApps, useSession } from '../session.js';
import { Button, Field, Select } from '../ui/form.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { Status, when } from '../ui/status.js';
import { useLoad } from '../ui/use-load.js';

const STATES = ['all', 'draft', 'published', 'yanked', 'scheduled'] as const;
type State = (typeof STATES)[number];

/** A release's state as people say it: a draft with a publish time is scheduled. */
export function stateOf(release: Release): Exclude<State, 'all'> {
  return release.scheduled ? 'scheduled' : release.status;
}

export function ReleasesScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, me } = useSession();
  const { query } = useLocation();
  const channel = query.get('channel') ?? '';
  const state = (STATES as readonly string[]).includes(query.get('state') ?? '') ? (query.get('state') as State) : 'all';
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const channels = useLoad(() => api.call('ListChannels'), []);
  const releases = useLoad(
    () =>
      api.call('ListReleases', {
        params: { app_id: appId },
        query: { channel: channel || undefined, status: state === 'all' || state === 'scheduled' ? undefined : state },
      }),
    [appId, channel, state],
  );
  const base = `/apps/${encodeURIComponent(appId)}/releases`;
  const filterTo = (next: { channel?: string; state?: State }) => {
    const params = new URLSearchParams();
    const c = next.channel ?? channel;
    const s = next.state ?? state;
    if (c) params.set('channel', c);
    if (s !== 'all') params.set('state', s);
    navigate(`${base}${params.size ? `?${params}` : ''}`, true);
  };
  const shown = (releases.value?.releases ?? []).filter((r) => state === 'all' || stateOf(r) === state);
  return (
    <Page
      title={`Releases${app.value ? ` of ${app.value.name}` : ''}`}
      crumbs={
        <>
          <Link to="/">Apps</Link> / <Link to={`/apps/${encodeURIComponent(appId)}`}>{app.value?.name ?? 'App'}</Link>
        </>
      }
    >
      <div class="filters">
        <Select
          label="Channel"
          options={['', ...(channels.value?.items.map((c) => c.name) ?? [])]}
          value={channel}
          onChange={(e) => filterTo({ channel: e.currentTarget.value })}
        />
        <fieldset class="segmented">
          <legend>State</legend>
          {STATES.map((s) => (
            <label key={s} class={s === state ? 'active' : ''}>
              <input type="radio" name="state" value={s} checked={s === state} onChange={() => filterTo({ state: s })} />
              {s}
            </label>
          ))}
        </fieldset>
      </div>
      {releases.error ? <Notice kind="error">{errorText(releases.error)}</Notice> : null}
      {!releases.value && !releases.error ? <Loading what="releases" /> : null}
      {releases.value ? (
        shown.length === 0 ? (
          <p>No releases here.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Releases</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Channel</th>
                  <th scope="col">State</th>
                  <th scope="col">Rollout</th>
                  <th scope="col">Files</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr key={r.id}>
                    <th scope="row">
                      <Link to={`${base}/${encodeURIComponent(r.id)}`}>{r.version}</Link>
                    </th>
                    <td>
                      {r.channel}
                      {r.promoted_to.length ? <span class="muted"> (also {r.promoted_to.join(', ')})</span> : null}
                    </td>
                    <td>
                      <Status value={stateOf(r)} />
                      {r.scheduled ? <span class="muted"> {when(r.publish_at)}</span> : null}
                    </td>
                    <td>{r.status === 'published' ? `${r.rollout_percent} %${r.halted ? ' (halted)' : ''}` : '—'}</td>
                    <td>{r.artifacts.length}</td>
                    <td>{when(r.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {releases.value?.next_cursor ? <p class="muted">More releases exist; narrow by channel or state.</p> : null}
      {mayOnApps(me, 'edit', appId) ? (
        <CreateRelease
          appId={appId}
          channels={channels.value?.items.map((c) => c.name) ?? []}
          defaultChannel={channel || app.value?.default_channel}
        />
      ) : null}
    </Page>
  );
}

function CreateRelease(props: { appId: string; channels: string[]; defaultChannel: string | undefined }) {
  const { api } = useSession();
  const [version, setVersion] = useState('');
  const [channel, setChannel] = useState('');
  const [notes, setNotes] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const chosen = channel || props.defaultChannel || props.channels[0] || '';
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const release = await api.call('CreateRelease', {
        params: { app_id: props.appId },
        body: { version: version.trim(), ...(chosen ? { channel: chosen } : {}), ...(notes.trim() ? { notes: notes.trim() } : {}) },
      });
      navigate(`/apps/${encodeURIComponent(props.appId)}/releases/${encodeURIComponent(release.id)}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Panel title="New release">
      <form onSubmit={submit} class="form-row" action={href(`/apps/${props.appId}/releases`)}>
        <Field label="Version" value={version} required placeholder="1.2.3" onInput={(e) => setVersion(e.currentTarget.value)} />
        <Select label="Channel" options={props.channels} value={chosen} onChange={(e) => setChannel(e.currentTarget.value)} />
        <Field label="Notes" value={notes} maxLength={20000} onInput={(e) => setNotes(e.currentTarget.value)} />
        <Button type="submit" variant="primary" busy={busy}>
          Create draft
        </Button>
      </form>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Panel>
  );
}
