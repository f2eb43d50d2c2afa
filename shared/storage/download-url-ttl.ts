/** How long a presigned download URL stays valid: minutes, enough for a client to start its download. */
export const DOWNLOAD_URL_TTL_SECONDS = 10 * 60;
