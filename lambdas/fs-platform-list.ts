import { faynoCatalogHandlers } from '../shared/faces/faynosync/catalog-wire.js';

export const handler = faynoCatalogHandlers.list('platform', 'FsPlatformList');
