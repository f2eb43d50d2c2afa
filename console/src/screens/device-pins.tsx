/**
 * An app's per-device pins (QA, support): list, pin a device id to a channel and/or a version,
 * remove (docs/release-model.md#per-device-pins).
 */
import { useState } from 'preact/hooks';
import type { AnswerOf } from '../api.js';
import { mayOnApps, useSession } from '../session.js';
import { AppPage } from '../ui/app-links.js';
import { Button, Field, Select } from '../ui/form.js';
import { Notice, OutcomeNotice } from '../ui/notice.js';
import { Panel } from '../ui/page.js';
import { when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useAction } from '../ui/use-action.js';
import { useLoad } from '../ui/use-load.js';

type Pin = AnswerOf<'ListDevicePins'>['pins'][number];

export function DevicePinsScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const { api, me } = useSession();
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const pins = useLoad(() => api.call('ListDevicePins', { params: { app_id: appId } }), [appId]);
  const action = useAction();
  const editable = mayOnApps(me, 'edit', appId);
  const remove = (pin: Pin) =>
    action.run(`remove-${pin.id}`, async () => {
      await api.call('DeleteDevicePin', { params: { app_id: appId, pin_id: pin.id } });
      pins.reload();
      return `Unpinned ${pin.device_id}: it gets what everyone gets from its next check.`;
    });
  const full = pins.value ? pins.value.pins.length >= pins.value.max_pins : false;
  return (
    <AppPage what="Device pins" app={app} appId={appId} current="/pins">
      <p class="lead">
        A pinned device gets its pin's channel and/or version whatever its rollout bucket says (QA builds, a halted release for a support
        case); every other device is unaffected.
      </p>
      <ListTable
        state={pins}
        what="pins"
        items={(value) => value.pins}
        empty="No device is pinned."
        caption={`Device pins (${pins.value?.pins.length} of ${pins.value?.max_pins})`}
        showCaption
        columns={['Device id', 'Channel', 'Version', 'Note', 'Pinned', 'By', '']}
        row={(p) => (
          <tr key={p.id}>
            <th scope="row">
              <code>{p.device_id}</code>
            </th>
            <td>{p.channel ?? 'its own'}</td>
            <td>{p.version ?? 'the newest'}</td>
            <td>{p.note ?? '—'}</td>
            <td>{when(p.created_at)}</td>
            <td>{p.created_by === me.id ? `you (${me.username})` : p.created_by}</td>
            <td>
              {editable ? (
                <Button variant="danger" busy={action.busy === `remove-${p.id}`} onClick={() => void remove(p)}>
                  Unpin {p.device_id}
                </Button>
              ) : null}
            </td>
          </tr>
        )}
      />
      <OutcomeNotice outcome={action.outcome} />
      {editable ? <AddPin appId={appId} full={full} onAdded={pins.reload} /> : null}
    </AppPage>
  );
}

function AddPin(props: { appId: string; full: boolean; onAdded: () => void }) {
  const { api } = useSession();
  const channels = useLoad(() => api.call('ListChannels'), []);
  const releases = useLoad(
    () => api.call('ListReleases', { params: { app_id: props.appId }, query: { status: 'published', limit: '100' } }),
    [props.appId],
  );
  const [device, setDevice] = useState('');
  const [channel, setChannel] = useState('');
  const [version, setVersion] = useState('');
  const [note, setNote] = useState('');
  const action = useAction();
  const versions = [...new Set(releases.value?.releases.map((r) => r.version) ?? [])];
  const submit = async (event: Event) => {
    event.preventDefault();
    await action.run('add', async () => {
      const pin = await api.call('CreateDevicePin', {
        params: { app_id: props.appId },
        body: {
          device_id: device.trim(),
          ...(channel ? { channel } : {}),
          ...(version ? { version } : {}),
          ...(note.trim() ? { note: note.trim() } : {}),
        },
      });
      setDevice('');
      setNote('');
      props.onAdded();
      return `Pinned ${pin.device_id}.`;
    });
  };
  return (
    <Panel title="Pin a device">
      {props.full ? <Notice kind="info">The app has as many pins as it may hold: remove one first.</Notice> : null}
      <form onSubmit={submit}>
        <div class="form-row">
          <Field
            label="Device id"
            value={device}
            required
            maxLength={200}
            hint="As the device sends it (x-device-id, or the SDK's device id); pinning a pinned device replaces its pin."
            onInput={(e) => setDevice(e.currentTarget.value)}
          />
          <Select
            label="Pin to channel (any: its own)"
            options={['', ...(channels.value?.items.map((c) => c.name) ?? [])]}
            value={channel}
            onChange={(e) => setChannel(e.currentTarget.value)}
          />
          <Select
            label="Hold at version (any: the newest)"
            options={['', ...versions]}
            value={version}
            onChange={(e) => setVersion(e.currentTarget.value)}
          />
          <Field label="Note (optional)" value={note} maxLength={200} onInput={(e) => setNote(e.currentTarget.value)} />
        </div>
        <Button type="submit" variant="primary" busy={action.busy === 'add'} disabled={props.full || (!channel && !version)}>
          Pin device
        </Button>
      </form>
      <OutcomeNotice outcome={action.outcome} />
    </Panel>
  );
}
