/**
 * Team users (owners only): who acts on this account and what they may do on apps; create, edit
 * permissions (effective on their next request), disable, delete.
 */
import { useState } from 'preact/hooks';
import type { AnswerOf } from '../api.js';
import { useSession } from '../session.js';
import { Button, Check, Field } from '../ui/form.js';
import { Notice, OutcomeNotice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

type TeamUser = AnswerOf<'ListTeamUsers'>['users'][number];
type AppRights = TeamUser['permissions']['apps'];
const FLAGS = ['create', 'edit', 'upload', 'download', 'delete'] as const;

const NO_RIGHTS: AppRights = { create: false, edit: false, upload: false, download: false, delete: false, allowed: [] };

export function TeamScreen() {
  const { api, me } = useSession();
  const users = useLoad(() => api.call('ListTeamUsers'), []);
  const apps = useLoad(() => api.call('ListApps'), []);
  const [editing, setEditing] = useState<string>();
  if (me.kind !== 'owner')
    return (
      <Page title="Team">
        <Notice kind="info">Only the account's owner manages team users.</Notice>
      </Page>
    );
  const appList = apps.value?.apps.map((a) => ({ id: a.id, name: a.name })) ?? [];
  return (
    <Page title="Team">
      <ListTable
        state={users}
        what="team users"
        items={({ users: list }) => list}
        empty="No team users yet."
        caption="Team users"
        columns={['User', 'On apps', 'Allowed apps', 'API tokens', 'State', 'Created', '']}
        row={(u) => (
          <tr key={u.id}>
            <th scope="row">{u.username}</th>
            <td>{['read', ...FLAGS.filter((f) => u.permissions.apps[f])].join(', ')}</td>
            <td>{u.permissions.apps.allowed.map((id) => appList.find((a) => a.id === id)?.name ?? id).join(', ') || 'none'}</td>
            <td>{u.tokens ? 'may create' : 'no'}</td>
            <td>{u.disabled ? 'disabled' : 'active'}</td>
            <td>{when(u.created_at)}</td>
            <td>
              <Button onClick={() => setEditing(editing === u.id ? undefined : u.id)}>
                {editing === u.id ? 'Close' : `Edit ${u.username}`}
              </Button>
            </td>
          </tr>
        )}
      />
      {users.value?.users
        .filter((u) => u.id === editing)
        .map((u) => (
          <EditUser
            key={u.id}
            user={u}
            apps={appList}
            onDone={() => {
              setEditing(undefined);
              users.reload();
            }}
          />
        ))}
      <CreateUser apps={appList} onCreated={users.reload} />
    </Page>
  );
}

/** The app rights of a team user: flags and the apps they apply to. */
function RightsFields(props: { rights: AppRights; apps: { id: string; name: string }[]; onChange: (rights: AppRights) => void }) {
  const { rights } = props;
  return (
    <>
      <fieldset class="checks">
        <legend>May, on the allowed apps (reading is always allowed)</legend>
        {FLAGS.map((flag) => (
          <Check
            key={flag}
            label={flag}
            checked={rights[flag]}
            onChange={(e) => props.onChange({ ...rights, [flag]: e.currentTarget.checked })}
          />
        ))}
      </fieldset>
      <fieldset class="checks">
        <legend>Allowed apps</legend>
        {props.apps.length === 0 ? <p class="muted">No apps yet.</p> : null}
        {props.apps.map((app) => (
          <Check
            key={app.id}
            label={app.name}
            checked={rights.allowed.includes(app.id)}
            onChange={(e) =>
              props.onChange({
                ...rights,
                allowed: e.currentTarget.checked ? [...rights.allowed, app.id] : rights.allowed.filter((id) => id !== app.id),
              })
            }
          />
        ))}
      </fieldset>
    </>
  );
}

function CreateUser(props: { apps: { id: string; name: string }[]; onCreated: () => void }) {
  const { api } = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [rights, setRights] = useState<AppRights>(NO_RIGHTS);
  const [tokens, setTokens] = useState(false);
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run('create', async () => {
      const user = await api.call('CreateTeamUser', {
        body: { username: username.trim(), password, tokens, permissions: { apps: rights } },
      });
      return `${user.username} can sign in now.`;
    });
    if (ok) {
      setUsername('');
      setPassword('');
      setRights(NO_RIGHTS);
      props.onCreated();
    }
  };
  return (
    <Panel title="New team user">
      <form onSubmit={submit}>
        <div class="form-row">
          <Field label="User name" value={username} required autocomplete="off" onInput={(e) => setUsername(e.currentTarget.value)} />
          <Field
            label="Password"
            type="password"
            value={password}
            required
            autocomplete="new-password"
            onInput={(e) => setPassword(e.currentTarget.value)}
          />
        </div>
        <RightsFields rights={rights} apps={props.apps} onChange={setRights} />
        <Check label="May create API tokens (within these rights)" checked={tokens} onChange={(e) => setTokens(e.currentTarget.checked)} />
        <Button type="submit" variant="primary" busy={action.busy === 'create'}>
          Create team user
        </Button>
      </form>
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}

function EditUser(props: { user: TeamUser; apps: { id: string; name: string }[]; onDone: () => void }) {
  const { api } = useSession();
  const { user } = props;
  const [rights, setRights] = useState<AppRights>(user.permissions.apps);
  const [tokens, setTokens] = useState(user.tokens);
  const [disabled, setDisabled] = useState(user.disabled);
  const [password, setPassword] = useState('');
  const action = useAction();
  const params = { user_id: user.id };
  const save = async (event: Event) => {
    event.preventDefault();
    const ok = await action.run('save', async () => {
      await api.call('UpdateTeamUser', {
        params,
        body: { permissions: { ...user.permissions, apps: rights }, tokens, disabled, ...(password ? { password } : {}) },
      });
      return 'Saved.';
    });
    if (ok) props.onDone();
  };
  const remove = async () => {
    if (!confirm(`Delete ${user.username} and the API tokens it made?`)) return;
    const ok = await action.run('delete', async () => {
      await api.call('DeleteTeamUser', { params });
      return 'Deleted.';
    });
    if (ok) props.onDone();
  };
  return (
    <Panel title={`Edit ${user.username}`}>
      <form onSubmit={save}>
        <RightsFields rights={rights} apps={props.apps} onChange={setRights} />
        <Check label="May create API tokens" checked={tokens} onChange={(e) => setTokens(e.currentTarget.checked)} />
        <Check
          label="Disabled (cannot sign in or call the API)"
          checked={disabled}
          onChange={(e) => setDisabled(e.currentTarget.checked)}
        />
        <Field
          label="New password (optional)"
          type="password"
          value={password}
          autocomplete="new-password"
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        <div class="actions">
          <Button type="submit" variant="primary" busy={action.busy === 'save'}>
            Save {user.username}
          </Button>
          <Button variant="danger" busy={action.busy === 'delete'} onClick={() => void remove()}>
            Delete {user.username}
          </Button>
        </div>
      </form>
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}
