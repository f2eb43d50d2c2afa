/** Every client's configuration for an app, filled in and ready to copy (the snippets `ota config` prints). */
import { useState } from 'preact/hooks';
import { CLIENT_SNIPPETS, renderClientSnippet, SNIPPET_NAMES, type SnippetName } from '../../../shared/protocols/client-snippets.js';
import type { App } from '../api.js';
import { Link } from '../router.js';
import { useSession } from '../session.js';
import { AppPage } from '../ui/app-links.js';
import { Select } from '../ui/form.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Panel } from '../ui/page.js';
import { CopyButton } from '../ui/secret.js';
import { useLoad } from '../ui/use-load.js';

const TITLES: Record<SnippetName, string> = {
  tauri: 'Tauri v2 (tauri.conf.json)',
  electron: 'electron-builder / electron-updater',
  sparkle: 'Sparkle (macOS)',
  velopack: 'Velopack',
  faynosync: 'faynoSync SDK',
  koolbase: 'Koolbase Flutter SDK',
};

export function ClientsScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, config, me } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const channels = useLoad(() => api.call('ListChannels'), []);
  const [channel, setChannel] = useState('');
  const apiUrl = new URL(config.apiUrl || '/', location.href).href.replace(/\/+$/, '');
  return (
    <AppPage what="Client setup" app={app} appId={appId} current="/clients">
      {app.error ? <Notice kind="error">{errorText(app.error)}</Notice> : null}
      {!app.value && !app.error ? <Loading what="the app" /> : null}
      {app.value ? (
        <>
          <div class="filters">
            <Select
              label="Channel"
              options={['', ...(channels.value?.items.map((c) => c.name) ?? [])]}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value)}
            />
          </div>
          {!app.value.slug ? (
            <Notice kind="info">
              Tauri, electron-builder, Sparkle and Velopack address the app by its slug:{' '}
              <Link to={`/apps/${encodeURIComponent(appId)}`}>give it one</Link>.
            </Notice>
          ) : null}
          {SNIPPET_NAMES.map((name) => (
            <Snippet key={name} name={name} app={app.value as App} apiUrl={apiUrl} owner={me.account_name ?? undefined} channel={channel} />
          ))}
        </>
      ) : null}
    </AppPage>
  );
}

function Snippet(props: { name: SnippetName; app: App; apiUrl: string; owner: string | undefined; channel: string }) {
  const { app, name } = props;
  if (CLIENT_SNIPPETS[name].needsSlug && !app.slug) return null;
  const text = renderClientSnippet(name, {
    apiUrl: props.apiUrl,
    id: app.id,
    name: app.name,
    slug: app.slug,
    tauriPubkey: app.tauri_pubkey,
    ...(props.owner ? { owner: props.owner } : {}),
    ...(props.channel ? { channel: props.channel } : {}),
  });
  return (
    <Panel title={TITLES[name]} id={`snippet-${name}`}>
      <pre class="snippet" data-snippet={name}>
        <code>{text}</code>
      </pre>
      <CopyButton text={text} label={`Copy the ${TITLES[name]} snippet`} />
    </Panel>
  );
}
