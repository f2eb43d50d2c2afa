import { faynoTeamHandlers } from '../shared/faces/faynosync/team.js';

export const handler = faynoTeamHandlers.listUsers('FsUsersList');
