import { NotFound, shown } from '../shared/domain/errors.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';
import { methodNotAllowed, methodsOfPath } from '../shared/http/method-not-allowed.js';
import { ROUTES } from '../shared/routes.js';

/**
 * API Gateway's `$default` route: a known path asked with a method it has no route for is a 405
 * with `Allow` in the path's face's error shape; anything else no route matches is a 404 in the
 * service's error shape.
 */
export const handler = leanPublicRoute(async (event) => {
  const method = event.requestContext.http.method;
  const known = methodsOfPath(ROUTES, event.rawPath);
  if (known) return methodNotAllowed(method, known);
  throw new NotFound(`No route for ${method} ${shown(event.rawPath)}`);
});
