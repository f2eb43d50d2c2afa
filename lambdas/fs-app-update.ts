import { faynoAppHandlers } from '../shared/faces/faynosync/accounts-apps.js';

export const handler = faynoAppHandlers.update('FsAppUpdate');
