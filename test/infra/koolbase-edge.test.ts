import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { API_KEY_EDGE_TTL_SECONDS } from '../../shared/domain/koolbase-api-key.js';
import { KOOLBASE_CHECK_PATH } from '../../shared/domain/koolbase-paths.js';
import { type Resource, synthesize } from './support.js';

/**
 * A revoked, expired or rotated-away SDK key stops working at the edge within a minute: the
 * check's answers say so in their s-maxage, a 401 included. CloudFront caches an error
 * for the larger of its s-maxage and the error caching minimum TTL (10 s unless a custom error
 * response sets one), never past the behaviour's maximum TTL.
 */
describe("the Koolbase check's edge cache", () => {
  let root: Record<string, Resource>;
  let config: Record<string, any>;

  before(() => {
    const s = synthesize();
    root = s.template(s.stack).Resources;
    const distribution = Object.values(root).find((r) => r.Type === 'AWS::CloudFront::Distribution');
    assert.ok(distribution);
    config = distribution.Properties.DistributionConfig;
  });

  it('keeps any answer of the check, refusals included, a minute at most', () => {
    const pattern = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
    const behavior = (config.CacheBehaviors as any[]).find((b) => pattern(b.PathPattern).test(KOOLBASE_CHECK_PATH));
    assert.ok(behavior, 'the check has its own cached behaviour');
    const policy = root[behavior.CachePolicyId.Ref]?.Properties.CachePolicyConfig;
    assert.ok(policy);
    // One cache policy serves every cached route (at most 2 per deployment): the check's minute comes
    // from its own s-maxage (never over API_KEY_EDGE_TTL_SECONDS, test/unit/koolbase-check.test.ts),
    // which CloudFront honours between the policy's minimum and maximum.
    assert.ok(policy.MaxTTL >= API_KEY_EDGE_TTL_SECONDS);
    assert.equal(policy.MinTTL, 0, 'an answer with s-maxage=0 (a key in its last second) is not kept');
    assert.equal(API_KEY_EDGE_TTL_SECONDS, 60);

    const errorTtls = ((config.CustomErrorResponses ?? []) as { ErrorCode: number; ErrorCachingMinTTL?: number }[])
      .filter((r) => [401, 403].includes(r.ErrorCode))
      .map((r) => r.ErrorCachingMinTTL ?? 10);
    for (const ttl of errorTtls) assert.ok(ttl <= API_KEY_EDGE_TTL_SECONDS, `a 401/403 kept ${ttl} s`);
  });
});
