import { faynoAccountHandlers } from '../shared/faces/faynosync/accounts.js';

export const handler = faynoAccountHandlers.signUp('FsSignUp');
