import { fayno } from '../shared/faces/faynosync/client-root.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';

// A public check: on the lean wrapper (edge guard, faynoSync's error shape), not the middy chain.
export const handler = leanPublicRoute((event) => fayno().checkVersion(event), 'faynosync');
