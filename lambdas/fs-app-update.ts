import { faynoAppHandlers } from '../shared/faces/faynosync/accounts-apps.js';
import { routeById } from '../shared/routes.js';

export const handler = faynoAppHandlers.update(routeById('FsAppUpdate'));
