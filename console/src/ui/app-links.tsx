import type { ComponentChildren } from 'preact';
import { Link } from '../router.js';
import { Page } from './page.js';

/** Where an app's screens are: one line of links under its title (the current one marked). */
const APP_SCREENS = [
  ['', 'Settings'],
  ['/releases', 'Releases'],
  ['/serving', 'Rollouts'],
  ['/stats', 'Telemetry'],
  ['/clients', 'Client setup'],
  ['/download-tokens', 'Download tokens'],
  ['/sdk-keys', 'SDK keys'],
  ['/webhooks', 'Webhooks'],
  ['/pins', 'Device pins'],
] as const;

type AppScreen = (typeof APP_SCREENS)[number][0];

/** `omit`: screens the page links to already (the settings page has its own Releases button). */
export function AppLinks(props: { appId: string; current?: AppScreen; omit?: readonly AppScreen[] }) {
  const base = `/apps/${encodeURIComponent(props.appId)}`;
  return (
    <nav class="app-links" aria-label="This app">
      <ul>
        {APP_SCREENS.filter(([path]) => !props.omit?.includes(path)).map(([path, label]) => (
          <li key={path}>
            <Link to={`${base}${path}`} aria-current={path === props.current ? 'page' : undefined}>
              {label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** A screen of one app: titled "<what> of <app name>" once the app is loaded, under the Apps crumb, with the app's links. */
export function AppPage(props: {
  what: string;
  app: { value?: { name: string } };
  appId: string;
  current: AppScreen;
  children: ComponentChildren;
}) {
  return (
    <Page title={`${props.what}${props.app.value ? ` of ${props.app.value.name}` : ''}`} crumbs={<Link to="/">Apps</Link>}>
      <AppLinks appId={props.appId} current={props.current} />
      {props.children}
    </Page>
  );
}
