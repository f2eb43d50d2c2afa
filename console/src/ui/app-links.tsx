import { Link } from '../router.js';

/** Where an app's screens are: one line of links under its crumbs (the current one marked). */
const APP_SCREENS = [
  ['', 'Settings'],
  ['/releases', 'Releases'],
  ['/serving', 'Rollouts'],
  ['/stats', 'Telemetry'],
  ['/clients', 'Client setup'],
  ['/download-tokens', 'Download tokens'],
  ['/sdk-keys', 'SDK keys'],
] as const;

export function AppLinks(props: { appId: string; current?: (typeof APP_SCREENS)[number][0] }) {
  const base = `/apps/${encodeURIComponent(props.appId)}`;
  return (
    <nav class="app-links" aria-label="This app">
      <ul>
        {APP_SCREENS.map(([path, label]) => (
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
