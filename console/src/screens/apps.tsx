/** Apps: the account's apps, and a new one. */
import { useState } from 'preact/hooks';
import { Link, navigate } from '../router.js';
import { mayOnApps, useSession } from '../session.js';
import { Button, Check, Field } from '../ui/form.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { when } from '../ui/status.js';
import { useLoad } from '../ui/use-load.js';

export function AppsScreen() {
  const { api, me } = useSession();
  const apps = useLoad(() => api.call('ListApps'), []);
  return (
    <Page title="Apps">
      {apps.error ? <Notice kind="error">{errorText(apps.error)}</Notice> : null}
      {!apps.value && !apps.error ? <Loading what="apps" /> : null}
      {apps.value ? (
        apps.value.apps.length === 0 ? (
          <p>No apps yet.</p>
        ) : (
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Apps</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Slug</th>
                  <th scope="col">Default channel</th>
                  <th scope="col">Privacy</th>
                  <th scope="col">Created</th>
                </tr>
              </thead>
              <tbody>
                {apps.value.apps.map((app) => (
                  <tr key={app.id}>
                    <th scope="row">
                      <Link to={`/apps/${encodeURIComponent(app.id)}`}>{app.name}</Link>
                    </th>
                    <td>{app.slug ?? <span class="muted">none</span>}</td>
                    <td>{app.default_channel}</td>
                    <td>{app.private ? 'private' : 'public'}</td>
                    <td>{when(app.created_at)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      ) : null}
      {mayOnApps(me, 'create') ? <CreateApp /> : null}
    </Page>
  );
}

function CreateApp() {
  const { api } = useSession();
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const app = await api.call('CreateApp', { body: { name: name.trim(), ...(isPrivate ? { private: true } : {}) } });
      navigate(`/apps/${encodeURIComponent(app.id)}`);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };
  return (
    <Panel title="New app">
      <form onSubmit={submit} class="form-row">
        <Field label="Name" value={name} required maxLength={100} onInput={(e) => setName(e.currentTarget.value)} />
        <Check label="Private (downloads need a token)" checked={isPrivate} onChange={(e) => setPrivate(e.currentTarget.checked)} />
        <Button type="submit" variant="primary" busy={busy}>
          Create app
        </Button>
      </form>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </Panel>
  );
}
