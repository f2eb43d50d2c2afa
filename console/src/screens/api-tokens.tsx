/** API tokens for CI: create (the token is shown once), list (prefixes only), revoke. */
import { useState } from 'preact/hooks';
import { TOKEN_ACTIONS } from '../../../shared/domain/permissions.js';
import type { AnswerOf } from '../api.js';
import { useSession } from '../session.js';
import { Button, Check, Field } from '../ui/form.js';
import { Notice, OutcomeNotice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { ShownOnce } from '../ui/secret.js';
import { when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

type Action = AnswerOf<'CreateApiToken'>['actions'][number];

export function ApiTokensScreen() {
  const { api } = useSession();
  const tokens = useLoad(() => api.call('ListApiTokens'), []);
  const apps = useLoad(() => api.call('ListApps'), []);
  const action = useAction();
  const nameOf = (id: string) => apps.value?.apps.find((a) => a.id === id)?.name ?? id;
  const revoke = (id: string, name: string) =>
    action.run(`revoke-${id}`, async () => {
      await api.call('RevokeApiToken', { params: { token_id: id } });
      tokens.reload();
      return `${name} is revoked: its next request is refused.`;
    });
  return (
    <Page title="API tokens">
      <p class="lead">
        Tokens for CI and scripts (`ota` reads one from OTA_TOKEN). Each may act only on its apps, only as its actions say.
      </p>
      <ListTable
        state={tokens}
        what="tokens"
        items={({ tokens: list }) => list}
        empty="No API tokens."
        caption="API tokens"
        columns={['Name', 'Prefix', 'Apps', 'May', 'Expires', 'Last used', '']}
        row={(t) => (
          <tr key={t.id}>
            <th scope="row">{t.name}</th>
            <td>
              <code>{t.prefix}…</code>
            </td>
            <td>{t.apps.map(nameOf).join(', ')}</td>
            <td>{t.actions.join(', ')}</td>
            <td>{t.expires_at ? when(t.expires_at) : 'never'}</td>
            <td>{when(t.last_used_at)}</td>
            <td>
              <Button variant="danger" busy={action.busy === `revoke-${t.id}`} onClick={() => void revoke(t.id, t.name)}>
                Revoke {t.name}
              </Button>
            </td>
          </tr>
        )}
      />
      <OutcomeNotice outcome={action.outcome} />
      <CreateToken apps={apps.value?.apps ?? []} onCreated={tokens.reload} />
    </Page>
  );
}

function CreateToken(props: { apps: { id: string; name: string }[]; onCreated: () => void }) {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [apps, setApps] = useState<string[]>([]);
  const [actions, setActions] = useState<Action[]>(['read', 'upload']);
  const [expires, setExpires] = useState('');
  const [secret, setSecret] = useState<string>();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    await action.run('create', async () => {
      const created = await api.call('CreateApiToken', {
        body: { name: name.trim(), apps, actions, ...(expires ? { expires_at: new Date(expires).toISOString() } : {}) },
      });
      setSecret(created.token);
      setName('');
      props.onCreated();
      return `${created.name} created.`;
    });
  };
  const toggle = <T,>(list: T[], item: T, on: boolean) => (on ? [...list, item] : list.filter((x) => x !== item));
  return (
    <Panel title="New API token">
      {secret ? <ShownOnce what="API token" value={secret} onDone={() => setSecret(undefined)} /> : null}
      <form onSubmit={submit}>
        <div class="form-row">
          <Field label="Token name" value={name} required maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
          <Field
            label="Expires (optional)"
            type="datetime-local"
            value={expires}
            hint="Empty: never; revoke it when it is no longer needed."
            onInput={(e) => setExpires(e.currentTarget.value)}
          />
        </div>
        <fieldset class="checks">
          <legend>Apps it may act on</legend>
          {props.apps.map((app) => (
            <Check
              key={app.id}
              label={app.name}
              checked={apps.includes(app.id)}
              onChange={(e) => setApps(toggle(apps, app.id, e.currentTarget.checked))}
            />
          ))}
        </fieldset>
        <fieldset class="checks">
          <legend>What it may do</legend>
          {(TOKEN_ACTIONS as readonly Action[]).map((a) => (
            <Check
              key={a}
              label={a}
              checked={actions.includes(a)}
              onChange={(e) => setActions(toggle(actions, a, e.currentTarget.checked))}
            />
          ))}
        </fieldset>
        <Button type="submit" variant="primary" busy={action.busy === 'create'} disabled={apps.length === 0 || actions.length === 0}>
          Create token
        </Button>
      </form>
      {action.outcome?.kind === 'error' ? <Notice kind="error">{action.outcome.text}</Notice> : null}
    </Panel>
  );
}
