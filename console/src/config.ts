import { CONSOLE_PREFIX, type ConsoleConfig } from '../../shared/http/console.js';

export type { ConsoleConfig };

/** Reads `config.json` beside the page (written at deploy, or by the local stack). */
export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${CONSOLE_PREFIX}/config.json`, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  const config = (await response.json()) as ConsoleConfig;
  for (const key of ['apiUrl', 'region', 'userPoolId', 'clientId', 'cognitoEndpoint'] as const) {
    if (typeof config[key] !== 'string') throw new Error(`config.json has no ${key}`);
  }
  return config;
}
