import { CloudFrontKeyValueStoreClient } from '@aws-sdk/client-cloudfront-keyvaluestore';
// The KeyValueStore data plane is signed with SigV4A: importing the JavaScript signer registers it with the SDK.
import '@aws-sdk/signature-v4a';

let kvsClient: CloudFrontKeyValueStoreClient | undefined;

/** The container's one KeyValueStore client (global, like CloudFront; the store's ARN names it). */
export function keyValueStoreClient(): CloudFrontKeyValueStoreClient {
  kvsClient ??= new CloudFrontKeyValueStoreClient({ region: 'us-east-1' });
  return kvsClient;
}
