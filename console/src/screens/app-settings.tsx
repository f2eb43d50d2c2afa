/** One app: its settings (name, slug, privacy, Tauri public key, default channel) and the way to its releases. */
import { useEffect, useState } from 'preact/hooks';
import type { App } from '../api.js';
import { Link } from '../router.js';
import { mayOnApps, useSession } from '../session.js';
import { AppLinks } from '../ui/app-links.js';
import { Button, Check, Field, Select } from '../ui/form.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { when } from '../ui/status.js';
import { useLoad } from '../ui/use-load.js';

export function AppSettingsScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const crumbs = <Link to="/">Apps</Link>;
  if (app.error)
    return (
      <Page title="App" crumbs={crumbs}>
        <Notice kind="error">{errorText(app.error)}</Notice>
      </Page>
    );
  if (!app.value)
    return (
      <Page title="App" crumbs={crumbs}>
        <Loading what="the app" />
      </Page>
    );
  return (
    <Page
      title={app.value.name}
      crumbs={crumbs}
      actions={
        <Link class="button button-primary" to={`/apps/${encodeURIComponent(appId)}/releases`}>
          Releases
        </Link>
      }
    >
      <AppLinks appId={appId} current="" omit={['/releases']} />
      <dl class="facts">
        <dt>App id</dt>
        <dd>
          <code>{app.value.id}</code>
        </dd>
        <dt>Created</dt>
        <dd>{when(app.value.created_at)}</dd>
        <dt>Updated</dt>
        <dd>{when(app.value.updated_at)}</dd>
      </dl>
      <Settings app={app.value} onSaved={app.reload} />
      <Slug app={app.value} onSaved={app.reload} />
    </Page>
  );
}

function Settings(props: { app: App; onSaved: () => void }) {
  const { api, me } = useSession();
  const { app } = props;
  const channels = useLoad(() => api.call('ListChannels'), []);
  const [name, setName] = useState(app.name);
  const [isPrivate, setPrivate] = useState(app.private);
  const [pubkey, setPubkey] = useState(app.tauri_pubkey ?? '');
  const [channel, setChannel] = useState(app.default_channel);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string }>();
  useEffect(() => {
    setName(app.name);
    setPrivate(app.private);
    setPubkey(app.tauri_pubkey ?? '');
    setChannel(app.default_channel);
  }, [app]);
  const editable = mayOnApps(me, 'edit', app.id);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      const saved = await api.call('UpdateApp', {
        params: { app_id: app.id },
        body: { name: name.trim(), private: isPrivate, tauri_pubkey: pubkey.trim(), default_channel: channel },
      });
      setResult({
        kind: 'success',
        text: saved.job ? 'Saved. The privacy change is being applied to every file of the app.' : 'Saved.',
      });
      props.onSaved();
    } catch (e) {
      setResult({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  const channelNames = channels.value?.items.map((c) => c.name) ?? [app.default_channel];
  return (
    <Panel title="Settings">
      <form onSubmit={submit}>
        <fieldset disabled={!editable}>
          <legend class="visually-hidden">App settings</legend>
          <Field label="Name" value={name} required maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
          <Select label="Default channel" options={channelNames} value={channel} onChange={(e) => setChannel(e.currentTarget.value)} />
          <Check
            label="Private: downloads and update checks need a download token"
            checked={isPrivate}
            onChange={(e) => setPrivate(e.currentTarget.checked)}
          />
          <div class="field">
            <label for="tauri-pubkey">Tauri public key</label>
            <textarea
              id="tauri-pubkey"
              rows={3}
              maxLength={1000}
              value={pubkey}
              aria-describedby="tauri-pubkey-hint"
              onInput={(e) => setPubkey(e.currentTarget.value)}
            />
            <small id="tauri-pubkey-hint" class="hint">
              The minisign public key of tauri.conf.json (plugins.updater.pubkey); uploads' signatures are checked against it.
            </small>
          </div>
          <Button type="submit" variant="primary" busy={busy}>
            Save settings
          </Button>
        </fieldset>
      </form>
      {!editable ? <Notice kind="info">You may read this app but not change it.</Notice> : null}
      {result ? <Notice kind={result.kind}>{result.text}</Notice> : null}
    </Panel>
  );
}

function Slug(props: { app: App; onSaved: () => void }) {
  const { api, me } = useSession();
  const { app } = props;
  const [slug, setSlug] = useState(app.slug ?? '');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string }>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setResult(undefined);
    try {
      await api.call('SetSlug', { params: { app_id: app.id }, body: { slug: slug.trim() } });
      setResult({ kind: 'success', text: 'Slug saved.' });
      props.onSaved();
    } catch (e) {
      setResult({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Panel title="Public slug">
      <form onSubmit={submit} class="form-row">
        <Field
          label="Slug"
          value={slug}
          maxLength={40}
          pattern="[a-z0-9][a-z0-9\-]*"
          disabled={!mayOnApps(me, 'edit', app.id)}
          hint="The name in update URLs (/api/sync/ota/<slug>/…, /feeds/<slug>/…): lower-case letters, digits and dashes."
          onInput={(e) => setSlug(e.currentTarget.value)}
        />
        <Button type="submit" busy={busy} disabled={!mayOnApps(me, 'edit', app.id)}>
          Save slug
        </Button>
      </form>
      {result ? <Notice kind={result.kind}>{result.text}</Notice> : null}
    </Panel>
  );
}
