/**
 * faynoSync's apps: `/app/create` and `/app/update` (multipart, a `data` field of JSON whose
 * values are all strings; a logo `file` is accepted and not stored), `/app/list` and
 * `/app/delete?id=`, on AppService. Owner is the caller's username; names are unique per owner.
 */
import { visible } from '../../auth/authorize.js';
import { Conflict, Invalid } from '../../domain/errors.js';
import { isId } from '../../domain/ids.js';
import type { App } from '../../domain/model.js';
import { apiRoute, callerOf, type RouteRequest } from '../../http/middleware.js';
import { isMultipart, parseMultipart } from '../../http/multipart.js';
import { json } from '../../http/respond.js';
import type { RouteDefinition } from '../../http/route-definition.js';
import type { AppSettings } from '../../services/app-service.js';
import { appService, appServiceWithPrivacy, jobServiceWithPrivacy, resourceReader } from '../../services/container.js';
import { grantCreated } from '../../services/grant-created.js';
import { deleteId, failedDelete, RELATED_ITEMS } from './accounts-wire.js';

const MAX_APP_NAME = 100;

/** The `data` field of an app form: JSON with string values only, as faynoSync decodes it. */
export async function appFormData(request: RouteRequest): Promise<Record<string, string>> {
  if (!isMultipart(request.event)) throw new Invalid('No JSON data provided');
  const form = await parseMultipart(request.event);
  const raw = form.fields.get('data');
  if (raw === undefined || raw === '') throw new Invalid('No JSON data provided');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Invalid('Invalid JSON data');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Invalid('Invalid JSON data');
  // `"private": true` (a JSON boolean) fails in faynoSync too: every value is a string.
  if (!Object.values(parsed).every((v) => typeof v === 'string')) throw new Invalid('Invalid JSON data');
  return parsed as Record<string, string>;
}

function appName(data: Record<string, string>): string {
  const name = data.app;
  if (name === undefined || name === '') throw new Invalid('app is required');
  if (name.length > MAX_APP_NAME) throw new Invalid(`app name must be at most ${MAX_APP_NAME} characters`);
  return name;
}

/** faynoSync's flags: the string "true" is true, anything else false. */
function flag(value: string | undefined): boolean {
  return value === 'true';
}

/** One app as faynoSync lists it (Go field names as keys). */
export function appWire(app: App, owner: string): Record<string, unknown> {
  return {
    ID: app.id,
    AppName: app.name,
    Logo: '',
    Private: app.private ?? false,
    Tuf: app.tuf ?? false,
    Reports: app.reports ?? false,
    CdnEdge: app.cdn ?? false,
    Description: app.description ?? '',
    Owner: owner,
    Updated_at: app.updatedAt,
  };
}

/** The caller's app by id; another owner's or an unknown one is not found, a malformed one `badId`. */
async function ownApp(request: RouteRequest, id: string, badId: string): Promise<App> {
  if (!request.authorizeById) throw new Error('route has no caller: check its access in the route table');
  if (!isId(id)) throw new Invalid(badId);
  // An unknown or another owner's app: `app_not_found`, which the face's translator words "app not found".
  const { app } = await request.authorizeById('app', id);
  if (!app) throw new Error('authorizeById answered no app');
  return app;
}

export const faynoAppHandlers = {
  create: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const data = await appFormData(request);
      const name = appName(data);
      const settings: AppSettings = {
        ...(data.description ? { description: data.description } : {}),
        private: flag(data.private),
        tuf: flag(data.tuf),
        reports: flag(data.reports),
        cdn: flag(data.cdn),
      };
      const caller = callerOf(request);
      const app = await appService().create(caller, name, settings, { deriveSlug: true });
      await grantCreated(caller, 'app', app.id);
      return json(200, { 'createAppResult.Created': app.id });
    }),

  list: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const caller = callerOf(request);
      const apps = (await appService().list(caller)).filter(({ app }) => visible(caller, 'app', app.id));
      return json(200, { apps: apps.length > 0 ? apps.map(({ app }) => appWire(app, caller.ownerName ?? '')) : null });
    }),

  update: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const data = await appFormData(request);
      if (data.id === undefined || data.id === '') throw new Invalid('id is required');
      const name = appName(data);
      const app = await ownApp(request, data.id, 'invalid id format');
      // As faynoSync: an empty description keeps the old one, `tuf` is always set, `reports` and `cdn` only when sent.
      // `private` (faynoSync takes it at creation only) is changed here too when sent.
      await appServiceWithPrivacy().update(app, {
        name,
        ...(data.description ? { description: data.description } : {}),
        tuf: flag(data.tuf),
        ...(data.reports !== undefined ? { reports: flag(data.reports) } : {}),
        ...(data.cdn !== undefined ? { cdn: flag(data.cdn) } : {}),
        ...(data.private !== undefined ? { private: flag(data.private) } : {}),
      });
      return json(200, { 'updateAppResult.Updated': true });
    }),

  delete: (route: RouteDefinition) =>
    apiRoute(route, resourceReader, async (request) => {
      const id = deleteId(request.event);
      try {
        const app = await ownApp(request, id, 'the provided hex string is not a valid ObjectID');
        // faynoSync keeps an app while it has versions: delete those first.
        if (await appService().hasReleases(app)) throw new Conflict(RELATED_ITEMS);
        // faynoSync's answer as its seed shows; the objects and records go in the job behind it.
        await jobServiceWithPrivacy().deleteApp(app);
      } catch (error) {
        return failedDelete('app', error);
      }
      return json(200, { 'deleteAppResult.DeletedCount': 1 });
    }),
};
