/**
 * Koolbase SDK keys of an app (a Koolbase project is an app): create (shown once; optionally for
 * one channel), rotate (the old key keeps working for a grace period), revoke.
 */
import { useState } from 'preact/hooks';
import { mayOnApps, useSession } from '../session.js';
import { AppPage } from '../ui/app-links.js';
import { Button, Select } from '../ui/form.js';
import { OutcomeNotice } from '../ui/notice.js';
import { Panel } from '../ui/page.js';
import { ShownOnce } from '../ui/secret.js';
import { when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

const GRACES = { '24 hours': 86_400, '7 days': 604_800, 'none (a leaked key)': 0 } as const;
type Grace = keyof typeof GRACES;

export function SdkKeysScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, me } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const keys = useLoad(() => api.call('KoolbaseListKeys', { params: { project_id: appId } }), [appId]);
  const channels = useLoad(() => api.call('ListChannels'), []);
  const [secret, setSecret] = useState<string>();
  const [grace, setGrace] = useState<Grace>('24 hours');
  const [channel, setChannel] = useState('');
  const action = useAction();
  const editable = mayOnApps(me, 'edit', appId);
  const params = { project_id: appId };
  const changed = (key: string) => {
    setSecret(key);
    keys.reload();
  };
  return (
    <AppPage what="SDK keys" app={app} appId={appId} current="/sdk-keys">
      <p class="lead">
        Keys the Koolbase Flutter SDK sends (x-api-key) to check for bundles of this app. The server keeps only their hash.
      </p>
      {secret ? <ShownOnce what="SDK key" value={secret} onDone={() => setSecret(undefined)} /> : null}
      <ListTable
        state={keys}
        what="keys"
        items={(list) => list}
        empty="No SDK keys."
        caption="SDK keys"
        columns={['Prefix', 'Channel', 'Created', 'State', '']}
        row={(k) => (
          <tr key={k.id}>
            <th scope="row">
              <code>{k.prefix}…</code>
            </th>
            <td>{k.channel ?? 'any'}</td>
            <td>{when(k.created_at)}</td>
            <td>{k.replaced_by ? `rotated; works until ${when(k.expires_at)}` : 'active'}</td>
            <td class="actions">
              {editable && !k.replaced_by ? (
                <Button
                  busy={action.busy === `rotate-${k.id}`}
                  onClick={() =>
                    void action.run(`rotate-${k.id}`, async () => {
                      const rotated = await api.call('KoolbaseRotateKey', {
                        params: { ...params, key_id: k.id },
                        body: { grace_seconds: GRACES[grace] },
                      });
                      changed(rotated.key);
                      return `Rotated ${k.prefix}…: the old key works for ${grace}.`;
                    })
                  }
                >
                  Rotate {k.prefix}
                </Button>
              ) : null}
              {mayOnApps(me, 'delete', appId) ? (
                <Button
                  variant="danger"
                  busy={action.busy === `revoke-${k.id}`}
                  onClick={() =>
                    void action.run(`revoke-${k.id}`, async () => {
                      await api.call('KoolbaseDeleteKey', { params: { ...params, key_id: k.id } });
                      keys.reload();
                      return `Revoked ${k.prefix}…: it stops working at once.`;
                    })
                  }
                >
                  Revoke {k.prefix}
                </Button>
              ) : null}
            </td>
          </tr>
        )}
      />
      <OutcomeNotice outcome={action.outcome} />
      {editable ? (
        <Panel title="Keys">
          <div class="form-row">
            <Select
              label="New key only for channel"
              options={['', ...(channels.value?.items.map((c) => c.name) ?? [])]}
              value={channel}
              onChange={(e) => setChannel(e.currentTarget.value)}
            />
            <Button
              variant="primary"
              busy={action.busy === 'create'}
              onClick={() =>
                void action.run('create', async () => {
                  const created = await api.call('KoolbaseCreateKey', { params, body: channel ? { channel } : {} });
                  changed(created.key);
                  return 'Created.';
                })
              }
            >
              Create SDK key
            </Button>
            <Select
              label="A rotated key keeps working for"
              options={Object.keys(GRACES)}
              value={grace}
              onChange={(e) => setGrace(e.currentTarget.value as Grace)}
            />
          </div>
          <p class="hint">
            An app has at most 50 keys, rotated keys counted until they expire. A key is rotated once: rotate its replacement next time.
          </p>
        </Panel>
      ) : null}
    </AppPage>
  );
}
