import type { App } from '../domain/model.js';
import { NotFound, shown } from '../http/errors.js';
import type { Principal } from './principal.js';

/**
 * The one decision of who may manage an app. Today: its owner. Another account gets the same
 * 404 as for an id that does not exist, so ids leak nothing. Team permissions will grow here.
 */
export function assertCanManage(principal: Principal, app: App | undefined, appId: string): App {
  if (!app || app.ownerId !== principal.userId) throw new NotFound(`App ${shown(appId)} not found`);
  return app;
}
