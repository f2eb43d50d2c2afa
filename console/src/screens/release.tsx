/**
 * One release: its facts, its files (with the server's verification as it happens), uploads by
 * drag and drop with progress bars, and publish (now or at a time) / yank.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Artifact, Release } from '../api.js';
import { Link } from '../router.js';
import { mayOnApps, useSession } from '../session.js';
import { Button, Field, Select } from '../ui/form.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { bytes, ProgressBar, Status, when } from '../ui/status.js';
import { useLoad } from '../ui/use-load.js';
import { uploadFile, watchVerification } from '../upload.js';
import { stateOf } from './releases.js';

export function ReleaseScreen(props: { params: Record<string, string> }) {
  const appId = props.params.app_id as string;
  const releaseId = props.params.release_id as string;
  const { api } = useSession();
  const release = useLoad(() => api.call('GetRelease', { params: { app_id: appId, release_id: releaseId } }), [appId, releaseId]);
  const app = useLoad(() => api.call('GetApp', { params: { app_id: appId } }), [appId]);
  const appPath = `/apps/${encodeURIComponent(appId)}`;
  const crumbs = (
    <>
      <Link to="/">Apps</Link> / <Link to={appPath}>{app.value?.name ?? 'App'}</Link> / <Link to={`${appPath}/releases`}>Releases</Link>
    </>
  );
  if (release.error)
    return (
      <Page title="Release" crumbs={crumbs}>
        <Notice kind="error">{errorText(release.error)}</Notice>
      </Page>
    );
  if (!release.value)
    return (
      <Page title="Release" crumbs={crumbs}>
        <Loading what="the release" />
      </Page>
    );
  const r = release.value;
  return (
    <Page title={`Release ${r.version}`} crumbs={crumbs} actions={<Status value={stateOf(r)} />}>
      <dl class="facts">
        <dt>Channel</dt>
        <dd>
          {r.channel}
          {r.promoted_to.length ? ` (also offered on ${r.promoted_to.join(', ')})` : ''}
        </dd>
        <dt>State</dt>
        <dd>{r.scheduled ? `scheduled for ${when(r.publish_at)}` : r.status}</dd>
        <dt>Rollout</dt>
        <dd>
          {r.rollout_percent} %{r.halted ? ` — halted: ${r.halted.reason}` : ''}
        </dd>
        <dt>Flags</dt>
        <dd>
          {[r.critical && 'critical', r.mandatory && 'mandatory', r.intermediate && 'stepping stone'].filter(Boolean).join(', ') || 'none'}
        </dd>
        <dt>Notes</dt>
        <dd>{r.notes || '—'}</dd>
        <dt>Created</dt>
        <dd>{when(r.created_at)}</dd>
      </dl>
      <Lifecycle release={r} appId={appId} onChanged={release.reload} />
      <Files release={r} appId={appId} onChanged={release.reload} />
    </Page>
  );
}

function Lifecycle(props: { release: Release; appId: string; onChanged: () => void }) {
  const { api, me } = useSession();
  const { release } = props;
  const [at, setAt] = useState('');
  const [busy, setBusy] = useState<'publish' | 'yank'>();
  const [result, setResult] = useState<{ kind: 'error' | 'success'; text: string }>();
  if (!mayOnApps(me, 'edit', props.appId)) return null;
  const params = { app_id: props.appId, release_id: release.id };
  const ready = release.artifacts.some((a) => a.status === 'ready');
  const act = async (what: 'publish' | 'yank') => {
    setBusy(what);
    setResult(undefined);
    try {
      if (what === 'publish') {
        const done = await api.call('PublishRelease', { params, body: at ? { at: new Date(at).toISOString() } : {} });
        setResult({ kind: 'success', text: done.scheduled ? `Scheduled for ${when(done.publish_at)}.` : 'Published.' });
      } else {
        await api.call('YankRelease', { params });
        setResult({ kind: 'success', text: 'Yanked: no client is offered it any more.' });
      }
      props.onChanged();
    } catch (e) {
      setResult({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(undefined);
    }
  };
  return (
    <Panel title="Publish">
      {release.status === 'draft' ? (
        <div class="form-row">
          <Field
            label="Publish at (optional)"
            type="datetime-local"
            value={at}
            hint="Empty: publish now. A time: the release goes live then, on its own."
            onInput={(e) => setAt(e.currentTarget.value)}
          />
          <Button variant="primary" busy={busy === 'publish'} disabled={!ready} onClick={() => act('publish')}>
            {at ? 'Schedule' : 'Publish now'}
          </Button>
        </div>
      ) : null}
      {release.status === 'draft' && !ready ? <p class="muted">Publishing needs at least one verified file.</p> : null}
      {release.status === 'published' ? (
        <Button variant="danger" busy={busy === 'yank'} onClick={() => act('yank')}>
          Yank release
        </Button>
      ) : null}
      {release.status === 'yanked' ? <p>This release is yanked: no client is offered it.</p> : null}
      {result ? <Notice kind={result.kind}>{result.text}</Notice> : null}
    </Panel>
  );
}

interface Transfer {
  key: number;
  name: string;
  sent: number;
  total: number;
  artifact?: Artifact;
  error?: string;
}

function Files(props: { release: Release; appId: string; onChanged: () => void }) {
  const { api, me } = useSession();
  const platforms = useLoad(() => api.call('ListPlatforms'), []);
  const archs = useLoad(() => api.call('ListArchs'), []);
  const [target, setTarget] = useState('');
  const [arch, setArch] = useState('');
  const [signature, setSignature] = useState('');
  const [transfers, setTransfers] = useState<Transfer[]>([]);
  const [dragging, setDragging] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const stop = useRef(new AbortController());
  useEffect(() => () => stop.current.abort(), []);
  const platformNames = platforms.value?.items.map((p) => p.name) ?? [];
  const archNames = archs.value?.items.map((a) => a.name) ?? [];
  const chosenTarget = target || platformNames[0] || '';
  const chosenArch = arch || archNames[0] || '';
  const canUpload = mayOnApps(me, 'upload', props.appId) && props.release.status !== 'yanked';
  const update = (key: number, change: Partial<Transfer>) =>
    setTransfers((all) => all.map((t) => (t.key === key ? { ...t, ...change } : t)));

  const send = async (file: File) => {
    const key = Date.now() + Math.random();
    setTransfers((all) => [...all, { key, name: file.name, sent: 0, total: file.size }]);
    try {
      const artifactId = await uploadFile(
        api,
        file,
        {
          appId: props.appId,
          releaseId: props.release.id,
          target: chosenTarget,
          arch: chosenArch,
          ...(signature.trim() ? { signature: signature.trim() } : {}),
        },
        { progress: (sent, total) => update(key, { sent, total }) },
      );
      await watchVerification(
        api,
        { app_id: props.appId, release_id: props.release.id, artifact_id: artifactId },
        (artifact) => update(key, { artifact }),
        stop.current.signal,
      );
      props.onChanged();
    } catch (e) {
      update(key, { error: errorText(e) });
    }
  };
  const sendAll = (files: FileList | null | undefined) => {
    for (const file of Array.from(files ?? [])) void send(file);
  };

  return (
    <Panel title="Files">
      {props.release.artifacts.length === 0 ? (
        <p>No files yet.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Files of this release</caption>
            <thead>
              <tr>
                <th scope="col">Platform</th>
                <th scope="col">Arch</th>
                <th scope="col">Package</th>
                <th scope="col">Verification</th>
                <th scope="col">Size</th>
                <th scope="col">Signature</th>
                <th scope="col">SHA-256</th>
              </tr>
            </thead>
            <tbody>
              {props.release.artifacts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.target}</th>
                  <td>{a.arch}</td>
                  <td>{a.package}</td>
                  <td>
                    <Status value={a.status} />
                    {a.reason ? <span class="muted"> {a.reason}</span> : null}
                  </td>
                  <td>{bytes(a.size ?? a.file_size)}</td>
                  <td>{a.signature || a.ed_signature ? 'signed' : '—'}</td>
                  <td>
                    <code class="hash">{a.sha256 ? `${a.sha256.slice(0, 12)}…` : '—'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {canUpload ? (
        <>
          <h3>Upload</h3>
          <div class="form-row">
            <Select label="Platform" options={platformNames} value={chosenTarget} onChange={(e) => setTarget(e.currentTarget.value)} />
            <Select label="Architecture" options={archNames} value={chosenArch} onChange={(e) => setArch(e.currentTarget.value)} />
            <Field label="Signature (Tauri .sig, optional)" value={signature} onInput={(e) => setSignature(e.currentTarget.value)} />
          </div>
          {/* biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer convenience; the keyboard way in is the button inside. */}
          <div
            class={`dropzone${dragging ? ' dragging' : ''}`}
            onDragOver={(e) => {
              e.preventDefault();
              setDragging(true);
            }}
            onDragLeave={() => setDragging(false)}
            onDrop={(e) => {
              e.preventDefault();
              setDragging(false);
              sendAll(e.dataTransfer?.files);
            }}
          >
            <p>Drop files here, or</p>
            <Button onClick={() => input.current?.click()}>Choose files…</Button>
            <input
              ref={input}
              class="visually-hidden"
              type="file"
              multiple
              aria-label="Files to upload"
              tabIndex={-1}
              onChange={(e) => {
                sendAll(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
          </div>
          <ul class="transfers" aria-live="polite">
            {transfers.map((t) => (
              <li key={t.key}>
                <span class="transfer-name">{t.name}</span>
                <ProgressBar label={`Upload of ${t.name}`} value={t.sent} max={t.total} />
                <span class="transfer-state">
                  {t.error ? (
                    <span class="error-text">{t.error}</span>
                  ) : t.artifact ? (
                    <>
                      <Status value={t.artifact.status === 'pending' ? 'verifying' : t.artifact.status} />
                      {t.artifact.reason ? ` ${t.artifact.reason}` : ''}
                    </>
                  ) : t.sent >= t.total ? (
                    'uploaded'
                  ) : (
                    `${bytes(t.sent)} of ${bytes(t.total)}`
                  )}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </Panel>
  );
}
