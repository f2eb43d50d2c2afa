import type * as z from 'zod/mini';
import { visible } from '../auth/authorize.js';
import type { CatalogKind, Channel } from '../domain/catalog.js';
import { catalogService, resourceReader } from '../services/container.js';
import { grantCreated } from '../services/grant-created.js';
import { catalogDto } from './dto.js';
import { apiRoute, callerOf, entryOf, type RouteRequest } from './middleware.js';
import { empty, json } from './respond.js';
import type { RouteDefinition } from './route-definition.js';
import { createCatalogBody, updateCatalogBody } from './schemas.js';

function input(body: z.output<typeof updateCatalogBody>) {
  return {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.follows !== undefined ? { follows: body.follows } : {}),
    ...(body.allow_prerelease !== undefined ? { allowPrerelease: body.allow_prerelease } : {}),
    ...(body.updaters !== undefined ? { updaters: body.updaters } : {}),
    ...(body.canonical !== undefined ? { canonical: body.canonical } : {}),
  };
}

async function channelNames(request: RouteRequest): Promise<Map<string, string>> {
  const { channels } = await catalogService().all(callerOf(request));
  return new Map(channels.map((c: Channel) => [c.id, c.name]));
}

/** The four catalog routes (create, list, update, delete) of one kind: one shape, three kinds. */
export const catalogHandlers = {
  create: (kind: CatalogKind, route: RouteDefinition) =>
    apiRoute(route, resourceReader, { body: createCatalogBody }, async (request) => {
      const caller = callerOf(request);
      const entry = await catalogService().create(caller, kind, input(request.body));
      await grantCreated(caller, kind, entry.id);
      return json(201, catalogDto(entry, await channelNames(request)));
    }),
  list: (kind: CatalogKind, route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const caller = callerOf(request);
      const entries = (await catalogService().list(caller, kind)).filter((e) => visible(caller, kind, e.id));
      const names = await channelNames(request);
      return json(200, { items: entries.map((e) => catalogDto(e, names)) });
    }),
  update: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, { body: updateCatalogBody }, async (request) => {
      const caller = callerOf(request);
      const entry = await catalogService().update(caller, entryOf(request), input(request.body));
      return json(200, catalogDto(entry, await channelNames(request)));
    }),
  delete: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      await catalogService().delete(callerOf(request), entryOf(request));
      return empty(204);
    }),
};
