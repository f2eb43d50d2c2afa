import { faynoAccountHandlers } from '../shared/faces/faynosync/accounts.js';
import { routeById } from '../shared/routes.js';

export const handler = faynoAccountHandlers.logIn(routeById('FsLogin'));
