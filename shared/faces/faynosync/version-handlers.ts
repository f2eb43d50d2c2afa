/**
 * What the faynoSync version routes share between their entry points: the app authorizer of a
 * request and the files of a multipart form.
 */

import type { RouteRequest } from '../../http/middleware.js';
import type { Form } from '../../http/multipart.js';
import type { AuthorizeApp, IncomingFile } from './versions.js';

/** Authorizes the route's action on an app named in the body or query (another owner's: 404). */
export function appAuthorizer(request: RouteRequest): AuthorizeApp {
  const authorizeById = request.authorizeById;
  if (!authorizeById) throw new Error('route has no caller: check its access in the route table');
  return async (appId) => {
    const { app } = await authorizeById('app', appId, 'app');
    if (!app) throw new Error('authorizeById answered no app');
    return app;
  };
}

/** The `file` parts of a faynoSync form. */
export function formFiles(form: Form): IncomingFile[] {
  return form.files.filter((f) => f.field === 'file').map((f) => ({ name: f.name, bytes: f.bytes, size: f.bytes.byteLength }));
}
