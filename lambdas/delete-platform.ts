import { catalogHandlers } from '../shared/http/catalog-handlers.js';
import { routeById } from '../shared/routes.js';

export const handler = catalogHandlers.delete(routeById('DeletePlatform'));
