import { CloudFrontClient } from '@aws-sdk/client-cloudfront';

let client: CloudFrontClient | undefined;

/** The container's one CloudFront client (the API is global, served from us-east-1). */
export function cloudFrontClient(): CloudFrontClient {
  client ??= new CloudFrontClient({ region: 'us-east-1' });
  return client;
}
