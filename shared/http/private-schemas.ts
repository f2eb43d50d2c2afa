import * as z from 'zod/mini';

/** Request schemas of the private-app routes (download tokens), referenced by shared/routes-private.ts (strict: an unknown field is a 400 naming it). */
export const createDownloadTokenBody = z.strictObject({
  name: z.optional(z.string().check(z.trim(), z.maxLength(100, 'name must be at most 100 characters'))),
  channel: z.optional(
    z.string().check(z.minLength(1, 'channel must not be empty'), z.maxLength(40, 'channel must be at most 40 characters')),
  ),
  expires_at: z.optional(z.iso.datetime({ offset: true, error: 'expires_at must be an RFC 3339 date-time' })),
});
