import { timingSafeEqual } from 'node:crypto';
import { signedRequest } from '../clients/signed-request.js';

/** Reads the values a request may present: the secret's current value and, during a rotation, its previous one. */
export type OriginSecretReader = () => Promise<readonly string[]>;

/** How long a container trusts the values it read (the previous value stops being accepted this long after a rotation ends). */
export const ORIGIN_SECRET_TTL_MS = 60 * 60_000;
/** An unknown value makes the container read the secret again, at most this often (a rotation may have started). */
export const ORIGIN_SECRET_MIN_REFRESH_MS = 60_000;

/**
 * The origin-verify secret as a function sees it: read from Secrets Manager (never in its
 * environment), cached per container, accepting the current and the previous value so that a
 * rotation never refuses CloudFront while its edges pick up the new header one by one.
 */
export class OriginSecret {
  private values: readonly string[] | undefined;
  private readAt = Number.NEGATIVE_INFINITY;
  private reading: Promise<readonly string[]> | undefined;

  constructor(
    private readonly read: OriginSecretReader,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether `presented` is the current or the previous value. */
  async accepts(presented: string): Promise<boolean> {
    const stale = this.now() - this.readAt >= ORIGIN_SECRET_TTL_MS;
    if (matchesAny(await this.load(stale), presented)) return true;
    if (this.now() - this.readAt < ORIGIN_SECRET_MIN_REFRESH_MS) return false;
    return matchesAny(await this.load(true), presented);
  }

  /** Starts the first read (during the function's init phase); errors surface on the first request. */
  prefetch(): void {
    this.load(true).catch(() => {});
  }

  private async load(refresh: boolean): Promise<readonly string[]> {
    if (!refresh && this.values) return this.values;
    this.reading ??= this.read()
      .then((values) => {
        this.values = values;
        this.readAt = this.now();
        return values;
      })
      .finally(() => {
        this.reading = undefined;
      });
    return this.reading;
  }
}

function matchesAny(values: readonly string[], presented: string): boolean {
  const given = Buffer.from(presented);
  let found = false;
  for (const value of values) {
    const expected = Buffer.from(value);
    // Every value is compared (no early exit), each in constant time.
    if (expected.length === given.length && timingSafeEqual(expected, given)) found = true;
  }
  return found;
}

/**
 * The AWSCURRENT and AWSPREVIOUS values of a Secrets Manager secret, by two signed GetSecretValue
 * calls (https://docs.aws.amazon.com/secretsmanager/latest/userguide/whats-in-a-secret.html#term_version).
 * A secret never rotated has no AWSPREVIOUS.
 */
export function secretsManagerVersions(secretArn: string): OriginSecretReader {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const url = new URL(process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ?? `https://secretsmanager.${region}.amazonaws.com/`);
  const version = async (stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> => {
    const response = await signedRequest('secretsmanager', {
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'secretsmanager.GetSecretValue' },
      body: JSON.stringify({ SecretId: secretArn, VersionStage: stage }),
    });
    if (response.status === 200) return (JSON.parse(response.body) as { SecretString?: string }).SecretString;
    if (stage === 'AWSPREVIOUS' && response.body.includes('ResourceNotFoundException')) return undefined;
    throw new Error(`Secrets Manager GetSecretValue (${stage}) failed: ${response.status} ${response.body.slice(0, 200)}`);
  };
  return async () => {
    const values = await Promise.all([version('AWSCURRENT'), version('AWSPREVIOUS')]);
    return values.filter((v): v is string => v !== undefined && v !== '');
  };
}
