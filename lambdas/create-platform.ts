import { catalogHandlers } from '../shared/http/catalog-handlers.js';
import { routeById } from '../shared/routes.js';

export const handler = catalogHandlers.create('platform', routeById('CreatePlatform'));
