import { fayno } from '../shared/faces/faynosync/client-root.js';
import { leanPublicRoute } from '../shared/http/lean-route.js';

// A public link (edge-cached): on the lean wrapper (edge guard, faynoSync's error shape), not the middy chain.
export const handler = leanPublicRoute((event) => fayno().appsLatest(event), 'faynosync');
