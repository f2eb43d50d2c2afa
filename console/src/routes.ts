/**
 * The console's screens, one file each under screens/: the path pattern (under /console), the
 * component, and the navigation entry when it has one. A new screen is one line here.
 */
import type { FunctionComponent } from 'preact';
import { OPS_SCREENS } from './routes-ops.js';
import { AppSettingsScreen } from './screens/app-settings.js';
import { AppsScreen } from './screens/apps.js';
import { CatalogsScreen } from './screens/catalogs.js';
import { ReleaseScreen } from './screens/release.js';
import { ReleasesScreen } from './screens/releases.js';

export interface ScreenRoute {
  pattern: string;
  screen: FunctionComponent<{ params: Record<string, string> }>;
  /** Shown in the main navigation under this label. */
  nav?: string;
}

export const SCREENS: readonly ScreenRoute[] = [
  { pattern: '/', screen: AppsScreen, nav: 'Apps' },
  { pattern: '/catalogs', screen: CatalogsScreen, nav: 'Catalogs' },
  { pattern: '/apps/:app_id', screen: AppSettingsScreen },
  { pattern: '/apps/:app_id/releases', screen: ReleasesScreen },
  { pattern: '/apps/:app_id/releases/:release_id', screen: ReleaseScreen },
  ...OPS_SCREENS,
];
