import type { S3Event } from 'aws-lambda';
import { logger } from '../shared/http/logger.js';
import { artifactService } from '../shared/services/container.js';

/**
 * S3 object-created events under `staging/` → verify each uploaded object version. A failure
 * throws, so Lambda retries the event; after the retries the failure destination (ingest-failed)
 * records the reason on the artifact.
 */
export const handler = async (event: S3Event): Promise<void> => {
  const artifacts = artifactService((outcome, detail) => logger.info(`ingest ${outcome}`, detail));
  for (const record of event.Records) {
    // S3 event keys are URL-encoded with '+' for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    await artifacts.ingest({ key, ...(record.s3.object.versionId ? { versionId: record.s3.object.versionId } : {}) });
  }
};
