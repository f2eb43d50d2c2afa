import type { S3Event } from 'aws-lambda';
import { getServices } from '../shared/services/container.js';

/** S3 object-created events → verify each uploaded artifact. Failures throw so Lambda retries. */
export const handler = async (event: S3Event): Promise<void> => {
  const { artifacts } = getServices();
  for (const record of event.Records) {
    // S3 event keys are URL-encoded with '+' for spaces.
    const key = decodeURIComponent(record.s3.object.key.replace(/\+/g, ' '));
    await artifacts.ingest(key);
  }
};
