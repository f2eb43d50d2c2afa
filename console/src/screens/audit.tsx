/** The audit trail (owners only): every management change, newest first, a page at a time. */
import { useState } from 'preact/hooks';
import { useSession } from '../session.js';
import { Button } from '../ui/form.js';
import { Notice } from '../ui/notice.js';
import { Page } from '../ui/page.js';
import { when } from '../ui/status.js';
import { ListTable } from '../ui/table.js';
import { useLoad } from '../ui/use-load.js';

const PAGE_SIZE = '25';

export function AuditScreen() {
  const { api, me } = useSession();
  // The cursors of the pages before this one (newest first), and this page's.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const page = useLoad(() => api.call('ListAuditEvents', { query: { limit: PAGE_SIZE, cursor } }), [cursor]);
  if (me.kind !== 'owner')
    return (
      <Page title="Audit trail">
        <Notice kind="info">Only the account's owner reads the audit trail.</Notice>
      </Page>
    );
  const next = page.value?.next;
  return (
    <Page title="Audit trail">
      <ListTable
        state={page}
        what="events"
        items={({ events }) => events}
        empty="No events yet."
        caption={`Audit events, page ${cursors.length + 1}`}
        columns={['When', 'Who', 'Action', 'Request', 'Target', 'Result']}
        row={(e) => (
          <tr key={e.id}>
            <th scope="row">{when(e.at)}</th>
            <td>
              {e.actor.name} <span class="muted">({e.actor.kind})</span>
            </td>
            <td>{e.action}</td>
            <td>
              <code>
                {e.method} {e.path}
              </code>
            </td>
            <td>{e.target ?? '—'}</td>
            <td>
              {e.status}
              {e.error ? <span class="error-text"> {e.error}</span> : null}
              {e.detail ? <span class="muted"> {e.detail}</span> : null}
            </td>
          </tr>
        )}
      />
      <nav class="pager" aria-label="Audit pages">
        <Button disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </Button>
        <span>Page {cursors.length + 1}</span>
        <Button disabled={!next} onClick={() => next && setCursors([...cursors, next])}>
          Older
        </Button>
      </nav>
    </Page>
  );
}
