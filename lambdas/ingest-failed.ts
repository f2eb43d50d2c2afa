import type { S3Event } from 'aws-lambda';
import { logger } from '../shared/http/logger.js';
import { artifactService } from '../shared/services/container.js';

/** A Lambda destination record: the event ingest could not process, and why. */
interface FailureRecord {
  requestPayload?: S3Event;
  responsePayload?: { errorMessage?: string; errorType?: string };
  requestContext?: { condition?: string; approximateInvokeCount?: number };
}

/**
 * The ingest function's on-failure destination: when verification kept failing (retries spent),
 * the artifact is marked `failed` with the reason, so the publisher sees it through the API
 * instead of an artifact that stays `pending` with no trace.
 */
export const handler = async (record: FailureRecord): Promise<void> => {
  const reason = record.responsePayload?.errorMessage ?? record.requestContext?.condition ?? 'unknown error';
  const artifacts = artifactService((outcome, detail) => logger.warn(`ingest failure ${outcome}`, detail));
  for (const s3 of record.requestPayload?.Records ?? []) {
    const key = decodeURIComponent(s3.s3.object.key.replace(/\+/g, ' '));
    await artifacts.recordIngestFailure({ key, ...(s3.s3.object.versionId ? { versionId: s3.s3.object.versionId } : {}) }, reason);
  }
};
