import { TABLE_DEFINITION } from './table-definition.js';

/** A DynamoDB stream record as far as the table's consumers read it (the edge-state writer, the webhook fan-out, the job worker). */
export interface StreamRecordLike {
  eventName?: string;
  dynamodb?: { NewImage?: Record<string, { S?: string; N?: string }> };
}

/**
 * The new images of one item type in a batch of stream records (other items are skipped, as the
 * stream's filter would). `insertsOnly`: only items just written, not changed (a record that names
 * no event, as the local stack's, counts as written).
 */
export function newImagesOfType(
  records: readonly StreamRecordLike[],
  type: string,
  insertsOnly: boolean,
): Record<string, { S?: string; N?: string }>[] {
  const images: Record<string, { S?: string; N?: string }>[] = [];
  for (const record of records) {
    if (insertsOnly && record.eventName !== undefined && record.eventName !== 'INSERT') continue;
    const image = record.dynamodb?.NewImage;
    if (image?.[TABLE_DEFINITION.typeAttribute]?.S === type) images.push(image);
  }
  return images;
}
