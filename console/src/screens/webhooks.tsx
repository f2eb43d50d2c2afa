/**
 * An app's webhooks: list, add (events, format, the signing secret shown once), remove, and each
 * webhook's last deliveries with their status (docs/webhooks.md).
 */
import { useState } from 'preact/hooks';
import { WEBHOOK_EVENT_TYPES as EVENTS, type WebhookEventType } from '../../../shared/domain/webhook-fields.js';
import type { AnswerOf } from '../api.js';
import { mayOnApps, useSession } from '../session.js';
import { AppPage } from '../ui/app-links.js';
import { Button, Check, Field, Select } from '../ui/form.js';
import { Notice, OutcomeNotice } from '../ui/notice.js';
import { Panel } from '../ui/page.js';
import { ShownOnce } from '../ui/secret.js';
import { Status, when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

type Webhook = AnswerOf<'ListWebhooks'>['webhooks'][number];

const labelOf = (hook: Webhook) => hook.description || hook.url;

export function WebhooksScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, me } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const hooks = useLoad(() => api.call('ListWebhooks', { params: { app_id: appId } }), [appId]);
  const [shown, setShown] = useState<string>();
  const action = useAction();
  const editable = mayOnApps(me, 'edit', appId);
  const remove = (hook: Webhook) =>
    action.run(`remove-${hook.id}`, async () => {
      await api.call('DeleteWebhook', { params: { app_id: appId, webhook_id: hook.id } });
      if (shown === hook.id) setShown(undefined);
      hooks.reload();
      return `Removed ${labelOf(hook)}: it gets no more events.`;
    });
  const open = hooks.value?.webhooks.find((h) => h.id === shown);
  return (
    <AppPage what="Webhooks" app={app} appId={appId} current="/webhooks">
      <p class="lead">
        URLs told about this app's releases, rollouts and files as they change, signed with their secret (X-OTA-Signature).
      </p>
      <ListTable
        state={hooks}
        what="webhooks"
        items={({ webhooks }) => webhooks}
        empty="No webhooks."
        caption="Webhooks"
        columns={['URL', 'Events', 'Format', 'Secret', 'Description', 'Created', '']}
        row={(h) => (
          <tr key={h.id}>
            <th scope="row">
              <code>{h.url}</code>
            </th>
            <td>{h.events.join(', ')}</td>
            <td>{h.format}</td>
            <td>
              <code>{h.secret_prefix}…</code>
            </td>
            <td>{h.description ?? '—'}</td>
            <td>{when(h.created_at)}</td>
            <td class="actions">
              <Button onClick={() => setShown(shown === h.id ? undefined : h.id)}>
                {shown === h.id ? 'Hide deliveries' : `Deliveries of ${labelOf(h)}`}
              </Button>
              {editable ? (
                <Button variant="danger" busy={action.busy === `remove-${h.id}`} onClick={() => void remove(h)}>
                  Remove {labelOf(h)}
                </Button>
              ) : null}
            </td>
          </tr>
        )}
      />
      <OutcomeNotice outcome={action.outcome} />
      {open ? <Deliveries appId={appId} hook={open} /> : null}
      {editable ? <AddWebhook appId={appId} onAdded={hooks.reload} /> : null}
    </AppPage>
  );
}

/** A webhook's last 50 tries, newest first: a failed one says why and when it is tried again. */
function Deliveries(props: { appId: string; hook: Webhook }) {
  const { api } = useSession();
  const id = props.hook.id;
  const deliveries = useLoad(() => api.call('ListWebhookDeliveries', { params: { app_id: props.appId, webhook_id: id } }), [id]);
  return (
    <Panel title={`Deliveries of ${labelOf(props.hook)}`}>
      <Button onClick={deliveries.reload}>Reload deliveries</Button>
      <ListTable
        state={deliveries}
        what="deliveries"
        items={({ deliveries: list }) => list}
        empty="No deliveries yet: the next matching event is sent within seconds."
        caption="Last deliveries, newest first"
        columns={['When', 'Event', 'Attempt', 'Result', 'Took', 'Next try']}
        row={(d) => (
          <tr key={d.delivery_id}>
            <th scope="row">{when(d.at)}</th>
            <td>{d.event_type}</td>
            <td>{d.attempt}</td>
            <td>
              <Status value={d.ok ? 'delivered' : 'failed'} /> {d.status === null ? 'no answer' : `HTTP ${d.status}`}
              {d.error ? <span class="error-text"> {d.error}</span> : null}
            </td>
            <td>{d.duration_ms} ms</td>
            <td>{d.retry_in_seconds === null ? '—' : `in ${d.retry_in_seconds} s`}</td>
          </tr>
        )}
      />
    </Panel>
  );
}

function AddWebhook(props: { appId: string; onAdded: () => void }) {
  const { api } = useSession();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<WebhookEventType[]>([...EVENTS]);
  const [format, setFormat] = useState<'json' | 'slack'>('json');
  const [secret, setSecret] = useState('');
  const [description, setDescription] = useState('');
  const [created, setCreated] = useState<string>();
  const action = useAction();
  const submit = async (event: Event) => {
    event.preventDefault();
    await action.run('add', async () => {
      const hook = await api.call('CreateWebhook', {
        params: { app_id: props.appId },
        body: {
          url: url.trim(),
          events,
          format,
          ...(secret ? { secret } : {}),
          ...(description.trim() ? { description: description.trim() } : {}),
        },
      });
      setCreated(hook.secret);
      setUrl('');
      setSecret('');
      setDescription('');
      props.onAdded();
      return 'Added.';
    });
  };
  return (
    <Panel title="New webhook">
      {created ? <ShownOnce what="signing secret" value={created} onDone={() => setCreated(undefined)} /> : null}
      <form onSubmit={submit}>
        <div class="form-row">
          <Field
            label="URL"
            type="url"
            value={url}
            required
            maxLength={2048}
            hint="https:// to a public host (the local stack also takes http://127.0.0.1)."
            onInput={(e) => setUrl(e.currentTarget.value)}
          />
          <Select
            label="Format"
            options={['json', 'slack']}
            value={format}
            onChange={(e) => setFormat(e.currentTarget.value as 'json' | 'slack')}
          />
          <Field
            label="Description (optional)"
            value={description}
            maxLength={200}
            onInput={(e) => setDescription(e.currentTarget.value)}
          />
          <Field
            label="Secret (optional)"
            type="password"
            value={secret}
            maxLength={200}
            autocomplete="off"
            hint="16 to 200 characters of your own; empty: the server makes one and shows it once."
            onInput={(e) => setSecret(e.currentTarget.value)}
          />
        </div>
        <fieldset class="checks">
          <legend>Events</legend>
          {EVENTS.map((name) => (
            <Check
              key={name}
              label={name}
              checked={events.includes(name)}
              onChange={(e) => setEvents(e.currentTarget.checked ? [...events, name] : events.filter((x) => x !== name))}
            />
          ))}
        </fieldset>
        <Button type="submit" variant="primary" busy={action.busy === 'add'} disabled={events.length === 0}>
          Add webhook
        </Button>
      </form>
      {action.outcome?.kind === 'error' ? <Notice kind="error">{action.outcome.text}</Notice> : null}
    </Panel>
  );
}
