import { catalogHandlers } from '../shared/http/catalog-handlers.js';

export const handler = catalogHandlers.list('channel', 'ListChannels');
