import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { DOWNLOAD_TOKEN_HEADER } from '../../shared/http/edge.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';
import { type Resource, type Synthesized, statementsOf, synthesize } from './support.js';

/**
 * What keeps a private app private in the cloud, read from the synthesized template: s3rver, which
 * the local stack runs on, checks no bucket policy, so the deny on tagged objects is proven here.
 */
describe('private apps in the cloud stack', () => {
  let s: Synthesized;
  let root: Record<string, Resource>;
  let config: Record<string, any>;
  const byRef = (ref: { Ref: string } | undefined) => (ref ? root[ref.Ref]?.Properties : undefined);
  const pattern = (p: string) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`);
  const behaviorOf = (path: string) =>
    (config.CacheBehaviors as any[]).find((b) => pattern(b.PathPattern).test(path.replace(/\{(\w+)\}/g, 'sample-$1')));

  before(() => {
    s = synthesize();
    root = s.template(s.stack).Resources;
    config = Object.values(root).find((r) => r.Type === 'AWS::CloudFront::Distribution')?.Properties.DistributionConfig;
    assert.ok(config);
  });

  it("denies CloudFront's origin access every object tagged private=true, whichever version it asks for", () => {
    const statements = Object.values(root)
      .filter((r) => r.Type === 'AWS::S3::BucketPolicy')
      .flatMap((r) => r.Properties.PolicyDocument.Statement as any[]);
    const deny = statements.find((st) => st.Effect === 'Deny' && st.Principal?.Service === 'cloudfront.amazonaws.com');
    assert.ok(deny, 'a deny for CloudFront in the artifact bucket policy');
    assert.deepEqual([deny.Action].flat().sort(), ['s3:GetObject', 's3:GetObjectVersion']);
    assert.deepEqual(deny.Condition, { StringEquals: { 's3:ExistingObjectTag/private': 'true' } });
    assert.match(JSON.stringify(deny.Resource), /\/ota\/\*"/);
    assert.equal(deny.Condition.StringEquals['AWS:SourceArn'], undefined, 'every distribution, not only this one');
    // The allows CloudFront has are what the deny narrows: reading verified objects (and pinned versions).
    const allowed = statements.filter((st) => st.Effect === 'Allow' && st.Principal?.Service === 'cloudfront.amazonaws.com');
    assert.ok(allowed.some((st) => [st.Action].flat().includes('s3:GetObjectVersion')));
  });

  it('forwards the download token of every route that may answer for a private app, outside the cache key', () => {
    // The OpenAPI document and faynoSync's telemetry beacon (one empty answer for every beacon) answer for no app.
    const answering = ROUTES.filter(
      (r) =>
        r.access.kind === 'public' &&
        r.edgeCache !== false &&
        !r.edgeCache.apiKeyHash &&
        r.id !== 'OpenApi' &&
        r.id !== 'FsTelemetryBeacon',
    );
    assert.ok(answering.length >= 13, 'checks, downloads, feeds and faynoSync answers');
    for (const route of answering) {
      assert.ok(route.edgeCache !== false && route.edgeCache.downloadToken, `${route.id} declares that it may answer for a private app`);
      const behavior = behaviorOf(route.path);
      assert.ok(behavior, route.id);
      const forwarded = byRef(behavior.OriginRequestPolicyId)?.OriginRequestPolicyConfig;
      assert.ok(forwarded?.HeadersConfig.Headers.includes(DOWNLOAD_TOKEN_HEADER), route.id);
      // Every query string is forwarded: the viewer-request function keeps only the route's declared ones and ?token= (test/unit/edge-state.test.ts).
      assert.deepEqual(forwarded?.QueryStringsConfig, { QueryStringBehavior: 'all' }, route.id);
      const key = byRef(behavior.CachePolicyId)?.CachePolicyConfig;
      // CloudFront forwards Authorization only from the key; a request without one (a public app's
      // client) has the same key as before. Minimum TTL 0: `private, no-store` answers are never kept.
      assert.ok(key.ParametersInCacheKeyAndForwardedToOrigin.HeadersConfig.Headers.includes('authorization'), route.id);
      assert.equal(key.ParametersInCacheKeyAndForwardedToOrigin.QueryStringsConfig.QueryStringBehavior, 'none', route.id);
      assert.equal(key.MinTTL, 0, route.id);
    }
  });

  it('grants the tag to the functions that set it, only that tag, and presigning to the downloads', () => {
    const definitions = [...ROUTES, ...EVENT_FUNCTIONS];
    const tagging = definitions.filter((d) => d.grants.includes('artifacts:tag')).map((d) => d.id);
    assert.deepEqual(tagging.sort(), ['FsAppUpdate', 'IngestArtifact', 'RunJob', 'UpdateApp']);
    for (const id of tagging) {
      const fn = s.stack.functions[id];
      assert.ok(fn, id);
      const statement = statementsOf(s, fn).find((st) => st.Action.includes('s3:PutObjectTagging'));
      assert.deepEqual(statement?.Action.sort(), ['s3:PutObjectTagging', 's3:PutObjectVersionTagging'], id);
      assert.deepEqual(statement?.Condition, { 'ForAllValues:StringEquals': { 's3:RequestObjectTagKeys': ['private'] } }, id);
      assert.match(JSON.stringify(statement?.Resource), /\/ota\/\*"/, id);
    }
    for (const id of ['DownloadArtifact', 'LatestDownload', 'DownloadFile', 'DownloadAppFile', 'VelopackFeed']) {
      const fn = s.stack.functions[id];
      assert.ok(fn, id);
      const read = statementsOf(s, fn).find((st) => st.Action.includes('s3:GetObjectVersion'));
      assert.ok(read, `${id} presigns a private app's files`);
      assert.match(JSON.stringify(read.Resource), /\/ota\/\*"/, id);
      assert.ok(!statementsOf(s, fn).some((st) => st.Action.some((a) => a.startsWith('s3:Put'))), id);
    }
    // The check stays one GetItem (two for a private app), nothing else (besides its logs and, at cold start, the origin secret).
    const check = s.stack.functions.CheckUpdate;
    assert.ok(check);
    assert.deepEqual(
      statementsOf(s, check)
        .flatMap((st) => st.Action)
        .filter((a) => !a.startsWith('logs:') && a !== 'secretsmanager:GetSecretValue'),
      ['dynamodb:GetItem'],
    );
    assert.ok(Stack.of(check).nested, 'in its route domain stack');
  });
});
