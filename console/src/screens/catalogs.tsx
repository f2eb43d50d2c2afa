/** The account's catalogs: channels (with the channels each follows), platforms (with their updaters) and archs. */
import type { CatalogEntry } from '../api.js';
import { useSession } from '../session.js';
import { errorText, Loading, Notice } from '../ui/notice.js';
import { Page, Panel } from '../ui/page.js';
import { useLoad } from '../ui/use-load.js';

export function CatalogsScreen() {
  const { api } = useSession();
  const catalogs = useLoad(() => Promise.all([api.call('ListChannels'), api.call('ListPlatforms'), api.call('ListArchs')]), []);
  if (catalogs.error)
    return (
      <Page title="Catalogs">
        <Notice kind="error">{errorText(catalogs.error)}</Notice>
      </Page>
    );
  if (!catalogs.value)
    return (
      <Page title="Catalogs">
        <Loading what="catalogs" />
      </Page>
    );
  const [channels, platforms, archs] = catalogs.value;
  return (
    <Page title="Catalogs">
      <p class="lead">
        The names releases and uploads may use. A channel that follows others also offers their releases (a client on <em>beta</em> that
        follows <em>stable</em> gets the newest of both).
      </p>
      <Panel title="Channels">
        <CatalogTable
          caption="Channels"
          items={channels.items}
          extra={{
            heading: 'Follows',
            cell: (c) =>
              [c.follows?.length ? `follows ${c.follows.join(', ')}` : 'follows none', c.allow_prerelease ? 'pre-releases allowed' : '']
                .filter(Boolean)
                .join(' · '),
          }}
        />
      </Panel>
      <Panel title="Platforms">
        <CatalogTable
          caption="Platforms"
          items={platforms.items}
          extra={{
            heading: 'Updaters',
            cell: (p) =>
              [
                p.updaters?.map((u) => (u.default ? `${u.type} (default)` : u.type)).join(', ') ?? '',
                p.canonical ? `same as ${p.canonical}` : '',
              ]
                .filter(Boolean)
                .join(' · ') || '—',
          }}
        />
      </Panel>
      <Panel title="Architectures">
        <CatalogTable
          caption="Architectures"
          items={archs.items}
          extra={{ heading: 'Canonical name', cell: (a) => (a.canonical ? `same as ${a.canonical}` : '—') }}
        />
      </Panel>
    </Page>
  );
}

function CatalogTable(props: {
  caption: string;
  items: CatalogEntry[];
  extra: { heading: string; cell: (entry: CatalogEntry) => string };
}) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">{props.extra.heading}</th>
            <th scope="col">Kind</th>
            <th scope="col">In use</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((entry) => (
            <tr key={entry.id}>
              <th scope="row">{entry.name}</th>
              <td>{props.extra.cell(entry)}</td>
              <td>{entry.builtin ? 'built in' : 'yours'}</td>
              <td>{entry.in_use ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
