import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
// The KeyValueStore data plane is signed with SigV4A: importing the JavaScript signer registers it with the SDK.
import '@aws-sdk/signature-v4a';

let client: CloudFrontClient | undefined;
let kvsClient: CloudFrontKeyValueStoreClient | undefined;

/** The container's one CloudFront client (the API is global, served from us-east-1). */
export function cloudFrontClient(): CloudFrontClient {
  client ??= new CloudFrontClient({ region: 'us-east-1' });
  return client;
}

/** The container's one KeyValueStore client (global, like CloudFront; the store's ARN names it). */
export function keyValueStoreClient(): CloudFrontKeyValueStoreClient {
  kvsClient ??= new CloudFrontKeyValueStoreClient({ region: 'us-east-1' });
  return kvsClient;
}
