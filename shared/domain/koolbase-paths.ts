/** Koolbase's own paths, in one place: the route table builds on these. */
export const KOOLBASE_PROJECT = '/v1/projects/{project_id}/ota';
export const KOOLBASE_CHECK_PATH = '/v1/sdk/ota/check';
