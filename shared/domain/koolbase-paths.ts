/** Koolbase's own paths, in one place: the route table and the edge purges build on these. */
export const KOOLBASE_PROJECT = '/v1/projects/{project_id}/ota';
export const KOOLBASE_CHECK_PATH = '/v1/sdk/ota/check';
/** Purges every cached answer of the check (all keys, channels and versions). */
export const KOOLBASE_CHECK_PURGE = `${KOOLBASE_CHECK_PATH}*`;
