import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';
import { requireEnv } from '../config/env.js';

export interface SignedResponse {
  readonly status: number;
  readonly body: string;
}

export interface SignedRequest {
  readonly method: 'GET' | 'HEAD' | 'POST';
  /** Full URL of the service endpoint and path. */
  readonly url: URL;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs?: number;
}

const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** The function's credentials from its environment (the first link of the SDK's chain in Lambda), read per request. */
export async function environmentCredentials() {
  return {
    accessKeyId: requireEnv('AWS_ACCESS_KEY_ID'),
    secretAccessKey: requireEnv('AWS_SECRET_ACCESS_KEY'),
    ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
  };
}

const signers = new Map<string, SignatureV4>();

/** The SDK's own SigV4 signer for a service in the function's region, with its credentials; one per service and options. */
export function signerFor(service: string, options: { uriEscapePath?: boolean; applyChecksum?: boolean } = {}): SignatureV4 {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const id = JSON.stringify([service, region, options]);
  let signer = signers.get(id);
  if (!signer) {
    signer = new SignatureV4({ service, region, sha256: Hash.bind(null, 'sha256'), credentials: environmentCredentials, ...options });
    signers.set(id, signer);
  }
  return signer;
}

/**
 * One SigV4-signed request over node:http(s), with the function's credentials from its environment:
 * for the small calls of lean paths (the public paths' DynamoDB reads, the origin secret, the health
 * probe) that must not load a whole SDK client. No retries: callers decide.
 */
export async function signedRequest(service: string, request: SignedRequest): Promise<SignedResponse> {
  const { url } = request;
  const signer = signerFor(service);
  const signed = await signer.sign({
    method: request.method,
    protocol: url.protocol,
    hostname: url.hostname,
    ...(url.port ? { port: Number(url.port) } : {}),
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: { host: url.host, ...request.headers },
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: request.method,
        headers: signed.headers,
        agent: url.protocol === 'http:' ? agents.http : agents.https,
        timeout: request.timeoutMs ?? 3_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${service} request timed out`)));
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}
