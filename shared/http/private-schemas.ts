import * as z from 'zod/mini';
import { component } from './route-definition.js';

/** Request schemas of the private-app routes (download tokens), referenced by shared/routes-private.ts (strict: an unknown field is a 400 naming it). */
export const createDownloadTokenBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.maxLength(100, 'name must be at most 100 characters'))),
  channel: z.optional(
    z.string().check(z.minLength(1, 'channel must not be empty'), z.maxLength(40, 'channel must be at most 40 characters')),
  ),
  expires_at: z.optional(z.iso.datetime({ offset: true, error: 'expires_at must be an RFC 3339 date-time' })),
});

const downloadTokenShape = {
  id: z.string(),
  name: z.nullable(z.string()),
  prefix: z.string(),
  channel: z.nullable(z.string()),
  expires_at: z.string(),
  expired: z.boolean(),
  created_at: z.string(),
};

/** A download token as its owner lists it (private-dto.ts): never the token. */
export const downloadTokenAnswer = component('DownloadToken', z.object(downloadTokenShape));

export const downloadTokenListAnswer = z.object({ tokens: z.array(downloadTokenAnswer) });

/** A new download token: the listed fields and the token, shown once. */
export const newDownloadTokenAnswer = z.object({ ...downloadTokenShape, token: z.string() });
