import { PutObjectTaggingCommand, type S3Client } from '@aws-sdk/client-s3';

/**
 * The tag that keeps a private app's verified objects away from the public edge path: the bucket
 * policy denies CloudFront's origin access `s3:GetObject*` on objects tagged `private=true`
 * (infra/constructs/edge.ts), while presigned URLs, signed by the functions' roles, still read them.
 */
export const PRIVATE_TAG = { key: 'private', value: 'true' } as const;

/** Sets the privacy tag of artifact objects (one exact version each: the policy reads that version's tags). */
export class ObjectTags {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  /** Tags one object version `private=true`, or `private=false` (which the policy does not deny). */
  async setPrivate(key: string, versionId: string | undefined, isPrivate: boolean): Promise<void> {
    await this.s3.send(
      new PutObjectTaggingCommand({
        Bucket: this.bucket,
        Key: key,
        ...(versionId ? { VersionId: versionId } : {}),
        Tagging: { TagSet: [{ Key: PRIVATE_TAG.key, Value: isPrivate ? PRIVATE_TAG.value : 'false' }] },
      }),
    );
  }
}
