import { signedRequest } from '../clients/signed-request.js';
import { ENV, optionalEnv } from '../config/env.js';
import { keys } from './keys.js';
import type { LeanFeedReader } from './lean-feed-reader.js';

/** What the deep health check found: each dependency reachable or not. */
export interface HealthReport {
  readonly table: boolean;
  readonly bucket: boolean;
}

/** The two probes, injectable so a unit test can fail either. */
export interface HealthProbes {
  table(): Promise<void>;
  bucket(): Promise<void>;
}

/**
 * Probes over the lean signed requests (no SDK client): a GetItem of a key never written (the read
 * is the probe: it fails when the table is missing, throttled or unreachable, or the role lost
 * access) and a HeadBucket of the artifact bucket.
 */
export function leanHealthProbes(reader: LeanFeedReader, bucketName: string): HealthProbes {
  return {
    table: async () => {
      await reader.getItem(keys.healthProbe, ['PK']);
    },
    bucket: async () => {
      const region = process.env.AWS_REGION ?? 'us-east-1';
      const endpoint = optionalEnv(ENV.s3Endpoint);
      // Path style against a local emulator, virtual-hosted style on AWS (as the SDK client does).
      const url = endpoint
        ? new URL(`${endpoint.replace(/\/+$/, '')}/${bucketName}`)
        : new URL(`https://${bucketName}.s3.${region}.amazonaws.com/`);
      const response = await signedRequest('s3', { method: 'HEAD', url, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
      if (response.status !== 200) throw new Error(`HeadBucket answered ${response.status}`);
    },
  };
}

/** Runs both probes at once; a failure is logged and reported, never thrown. */
export async function checkHealth(probes: HealthProbes, log: (what: string, error: unknown) => void = defaultLog): Promise<HealthReport> {
  const run = (what: keyof HealthProbes) =>
    probes[what]().then(
      () => true,
      (error: unknown) => {
        log(what, error);
        return false;
      },
    );
  const [table, bucket] = await Promise.all([run('table'), run('bucket')]);
  return { table, bucket };
}

function defaultLog(what: string, error: unknown): void {
  console.error(JSON.stringify({ level: 'ERROR', message: `health: ${what} probe failed`, error: String(error) }));
}
