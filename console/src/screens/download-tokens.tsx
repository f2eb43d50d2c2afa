/** A private app's download tokens: create (shown once; optionally for one channel, with an expiry), list, revoke. */
import { useState } from 'preact/hooks';
import { mayOnApps, useSession } from '../session.js';
import { AppPage } from '../ui/app-links.js';
import { Button, Field, Select } from '../ui/form.js';
import { Notice, OutcomeNotice } from '../ui/notice.js';
import { Panel } from '../ui/page.js';
import { ShownOnce } from '../ui/secret.js';
import { when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

export function DownloadTokensScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, me } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const tokens = useLoad(() => api.call('ListDownloadTokens', { params: { app_id: appId } }), [appId]);
  const action = useAction();
  const editable = mayOnApps(me, 'edit', appId);
  const revoke = (id: string, label: string) =>
    action.run(`revoke-${id}`, async () => {
      await api.call('RevokeDownloadToken', { params: { app_id: appId, token_id: id } });
      tokens.reload();
      return `${label} is revoked: checks, feeds and downloads refuse it from the next request.`;
    });
  return (
    <AppPage what="Download tokens" app={app} appId={appId} current="/download-tokens">
      {app.value && !app.value.private ? (
        <Notice kind="info">This app is public: checks and downloads need no token. Tokens matter once it is private (Settings).</Notice>
      ) : null}
      <ListTable
        state={tokens}
        what="tokens"
        items={({ tokens: list }) => list}
        empty="No download tokens."
        caption="Download tokens"
        columns={['Name', 'Prefix', 'Channel', 'Expires', 'Created', '']}
        row={(t) => (
          <tr key={t.id}>
            <th scope="row">{t.name ?? <span class="muted">unnamed</span>}</th>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.channel ?? 'any'}</td>
            <td>
              {when(t.expires_at)}
              {t.expired ? ' (expired)' : ''}
            </td>
            <td>{when(t.created_at)}</td>
            <td>
              {editable ? (
                <Button variant="danger" busy={action.busy === `revoke-${t.id}`} onClick={() => void revoke(t.id, t.name ?? t.prefix)}>
                  Revoke {t.name ?? t.prefix}
                </Button>
              ) : null}
            </td>
          </tr>
        )}
      />
      <OutcomeNotice outcome={action.outcome} />
      {editable ? <CreateDownloadToken appId={appId} onCreated={tokens.reload} /> : null}
    </AppPage>
  );
}

function CreateDownloadToken(props: { appId: string; onCreated: () => void }) {
  const { api } = useSession();
  const channels = useLoad(() => api.call('ListChannels'), []);
  const [name, setName] = useState('');
  const [channel, setChannel] = useState('');
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<string>();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    await action.run('create', async () => {
      const created = await api.call('CreateDownloadToken', {
        params: { app_id: props.appId },
        body: {
          ...(name.trim() ? { name: name.trim() } : {}),
          ...(channel ? { channel } : {}),
          ...(expires ? { expires_at: new Date(expires).toISOString() } : {}),
        },
      });
      setSecret(created.token);
      setName('');
      props.onCreated();
      return 'Created.';
    });
  };
  return (
    <Panel title="New download token">
      {secret ? <ShownOnce what="download token" value={secret} onDone={() => setSecret(undefined)} /> : null}
      <form onSubmit={submit} class="form-row">
        <Field label="Token name (optional)" value={name} maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
        <Select
          label="Only for channel"
          options={['', ...(channels.value?.items.map((c) => c.name) ?? [])]}
          value={channel}
          onChange={(e) => setChannel(e.currentTarget.value)}
        />
        <Field label="Expires (optional)" type="datetime-local" value={expires} onInput={(e) => setExpires(e.currentTarget.value)} />
        <Button type="submit" variant="primary" busy={action.busy === 'create'}>
          Create download token
        </Button>
      </form>
      {action.outcome?.kind === 'error' ? <Notice kind="error">{action.outcome.text}</Notice> : null}
    </Panel>
  );
}
