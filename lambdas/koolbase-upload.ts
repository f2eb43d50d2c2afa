import { Invalid, TooLarge } from '../shared/domain/errors.js';
import { BUNDLE_TOO_LARGE } from '../shared/domain/koolbase-bundle.js';
import { koolbaseService } from '../shared/faces/koolbase/container.js';
import { bundleDto } from '../shared/faces/koolbase/dto.js';
import { apiRoute, appOf, callerOf } from '../shared/http/middleware.js';
import { parseMultipart } from '../shared/http/multipart.js';
import { json } from '../shared/http/respond.js';
import { routeById } from '../shared/routes.js';
import { resourceReader } from '../shared/services/container.js';

export const handler = apiRoute(routeById('KoolbaseUpload'), resourceReader, async (request) => {
  const form = await parseMultipart(request.event).catch((error: unknown) => {
    throw error instanceof TooLarge ? new TooLarge(BUNDLE_TOO_LARGE) : error;
  });
  const bundle = form.files.find((f) => f.field === 'bundle');
  if (!bundle) throw new Invalid('bundle file is required');
  const channel = form.fields.get('channel');
  const notes = form.fields.get('release_notes');
  const app = appOf(request);
  const view = await koolbaseService().upload(callerOf(request), app, {
    ...(channel ? { channel } : {}),
    // Koolbase reads the string "true" as true and anything else as false.
    mandatory: form.fields.get('mandatory') === 'true',
    ...(notes ? { notes } : {}),
    bytes: bundle.bytes,
  });
  return json(201, bundleDto(app, view));
});
