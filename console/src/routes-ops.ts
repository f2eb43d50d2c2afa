/** The release manager's operations screens (rollouts, telemetry, clients, keys, team, tokens, audit, webhooks, device pins); routes.ts lists them after its own. */
import type { FunctionComponent } from 'preact';
import { ApiTokensScreen } from './screens/api-tokens.js';
import { AuditScreen } from './screens/audit.js';
import { ClientsScreen } from './screens/clients.js';
import { DevicePinsScreen } from './screens/device-pins.js';
import { DownloadTokensScreen } from './screens/download-tokens.js';
import { RolloutScreen } from './screens/rollout.js';
import { SdkKeysScreen } from './screens/sdk-keys.js';
import { ServingScreen } from './screens/serving.js';
import { TeamScreen } from './screens/team.js';
import { WebhooksScreen } from './screens/webhooks.js';
import { lazyScreen } from './ui/lazy-screen.js';
// uPlot's stylesheet is in the page's one stylesheet; its code comes with the telemetry screen's chunk.
import 'uplot/dist/uPlot.min.css';
import './ui/ops.css';

/** The telemetry charts, with uPlot (about 23 KB gzip), fetched when first opened. */
const TelemetryScreen = lazyScreen(() => import('./screens/telemetry.js').then((m) => m.TelemetryScreen));

/** routes.ts's ScreenRoute, spelled here so the two modules do not import each other. */
interface OpsScreen {
  pattern: string;
  screen: FunctionComponent<{ params: Record<string, string> }>;
  nav?: string;
}

export const OPS_SCREENS: readonly OpsScreen[] = [
  { pattern: '/team', screen: TeamScreen, nav: 'Team' },
  { pattern: '/tokens', screen: ApiTokensScreen, nav: 'API tokens' },
  { pattern: '/audit', screen: AuditScreen, nav: 'Audit' },
  { pattern: '/apps/:app_id/serving', screen: ServingScreen },
  { pattern: '/apps/:app_id/releases/:release_id/rollout', screen: RolloutScreen },
  { pattern: '/apps/:app_id/stats', screen: TelemetryScreen },
  { pattern: '/apps/:app_id/clients', screen: ClientsScreen },
  { pattern: '/apps/:app_id/download-tokens', screen: DownloadTokensScreen },
  { pattern: '/apps/:app_id/sdk-keys', screen: SdkKeysScreen },
  { pattern: '/apps/:app_id/webhooks', screen: WebhooksScreen },
  { pattern: '/apps/:app_id/pins', screen: DevicePinsScreen },
];
