/** The signed-in session every screen reads: the API client, who the caller is, and what they may do. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, WhoAmI } from './api.js';
import type { ConsoleConfig } from './config.js';

export interface Session {
  config: ConsoleConfig;
  api: Api;
  me: WhoAmI;
  signOut: () => void;
}

export const SessionContext = createContext<Session | undefined>(undefined);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in shell');
  return session;
}

export type AppAction = 'create' | 'edit' | 'delete' | 'upload' | 'download';

/**
 * Whether the caller may take an action on apps (on `appId`, when given), by the permissions the
 * who-am-i route answers: owners may do everything, team users what their flags and allowed list
 * say, API tokens what their scope says. The server decides in the end; this only hides what would fail.
 */
export function mayOnApps(me: WhoAmI, action: AppAction, appId?: string): boolean {
  if (me.kind === 'owner') return true;
  if (me.kind === 'token') {
    const scope = me.scope;
    return !!scope && action !== 'create' && scope.actions.includes(action) && (appId === undefined || scope.apps.includes(appId));
  }
  const apps = me.permissions?.apps;
  if (!apps?.[action]) return false;
  return appId === undefined || action === 'create' || apps.allowed.includes(appId);
}
