import { faynoCatalogHandlers } from '../shared/faces/faynosync/catalog-wire.js';
import { routeById } from '../shared/routes.js';

export const handler = faynoCatalogHandlers.create('platform', routeById('FsPlatformCreate'));
