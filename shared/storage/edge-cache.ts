import { randomUUID } from 'node:crypto';
import { type CloudFrontClient, CreateInvalidationCommand } from '@aws-sdk/client-cloudfront';

/** Invalidates CloudFront paths. Without a distribution (the local stack) there is nothing to purge. */
export class EdgeCache {
  constructor(
    private readonly cloudFront: CloudFrontClient | undefined,
    private readonly distributionId: string | undefined,
  ) {}

  async invalidate(paths: string[]): Promise<void> {
    const unique = [...new Set(paths)];
    if (unique.length === 0) return;
    if (!this.cloudFront || !this.distributionId) {
      console.log(JSON.stringify({ level: 'info', message: 'edge invalidation skipped: no distribution', paths: unique }));
      return;
    }
    await this.cloudFront.send(
      new CreateInvalidationCommand({
        DistributionId: this.distributionId,
        InvalidationBatch: { CallerReference: randomUUID(), Paths: { Quantity: unique.length, Items: unique } },
      }),
    );
  }
}
