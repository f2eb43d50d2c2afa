import { faynoTeamHandlers } from '../shared/faces/faynosync/team.js';
import { routeById } from '../shared/routes.js';

export const handler = faynoTeamHandlers.listTokens(routeById('FsTokenList'));
