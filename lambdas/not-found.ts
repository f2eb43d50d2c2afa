import { NotFound, shown } from '../shared/domain/errors.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';

/** API Gateway's `$default` route: whatever no route matches gets a 404 in the service's error shape. */
export const handler = leanPublicRoute(async (event) => {
  throw new NotFound(`No route for ${event.requestContext.http.method} ${shown(event.rawPath)}`);
});
