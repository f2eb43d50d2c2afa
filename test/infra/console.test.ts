import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { InMemoryEdgeStore, loadEdgeFunction } from '../../local/edge-runtime.js';
import { CONSOLE_CACHE_CONTROL } from '../../shared/http/console.js';
import { type Resource, type Synthesized, synthesize } from './support.js';

describe('the web console in the stack (synthesized template)', () => {
  let s: Synthesized;
  let root: Record<string, Resource>;
  const ofType = (type: string) => Object.entries(root).filter(([, r]) => r.Type === type);

  before(() => {
    s = synthesize();
    root = s.template(s.stack).Resources;
  });

  it('serves /console/* from a private bucket of its own through origin access control, GET and HEAD only', () => {
    const [[, distribution] = []] = ofType('AWS::CloudFront::Distribution');
    const behaviors = distribution?.Properties.DistributionConfig.CacheBehaviors as Record<string, any>[];
    const console = behaviors.find((b) => b.PathPattern === '/console/*');
    assert.ok(console, 'a /console/* behaviour');
    assert.deepEqual(console.AllowedMethods, ['GET', 'HEAD']);
    assert.equal(console.ViewerProtocolPolicy, 'https-only');
    const origins = distribution?.Properties.DistributionConfig.Origins as Record<string, any>[];
    const origin = origins.find((o) => o.Id === console.TargetOriginId);
    assert.ok(origin?.OriginAccessControlId, 'origin access control');
    const bucketId = Object.keys(root).find((id) => id.startsWith('ConsoleFiles') && root[id]?.Type === 'AWS::S3::Bucket') as string;
    assert.deepEqual(origin.DomainName, { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] });
    const bucket = root[bucketId] as Resource;
    assert.deepEqual(bucket.Properties.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
  });

  it('sends a strict content security policy with every console answer', () => {
    const policies = ofType('AWS::CloudFront::ResponseHeadersPolicy').map(([, r]) => r.Properties.ResponseHeadersPolicyConfig);
    const consolePolicy = policies.find((p) => p.SecurityHeadersConfig?.ContentSecurityPolicy);
    assert.ok(consolePolicy);
    const csp = JSON.stringify(consolePolicy.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    for (const directive of ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", 'https://cognito-idp.eu-west-1.']) {
      assert.ok(csp.includes(directive), directive);
    }
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const headers = consolePolicy.SecurityHeadersConfig;
    assert.equal(headers.StrictTransportSecurity.AccessControlMaxAgeSec, 730 * 86_400);
    assert.equal(headers.FrameOptions.FrameOption, 'DENY');
    assert.equal(headers.ContentTypeOptions.Override, true);
    assert.equal(headers.ReferrerPolicy.ReferrerPolicy, 'no-referrer');
  });

  it('answers screen paths with index.html and files with themselves (the SPA fallback)', async () => {
    const [, fn] = ofType('AWS::CloudFront::Function').find(([id]) => id.startsWith('ConsoleSpaFallback')) ?? [];
    assert.ok(fn);
    const handler = loadEdgeFunction(fn.Properties.FunctionCode, new InMemoryEdgeStore());
    const uriOf = async (uri: string) =>
      ((await handler({ request: { uri, method: 'GET', headers: {}, querystring: {} } })) as { uri: string }).uri;
    assert.equal(await uriOf('/console/apps/01J/releases'), '/console/index.html');
    assert.equal(await uriOf('/console/'), '/console/index.html');
    assert.equal(await uriOf('/console/assets/app-ABC.js'), '/console/assets/app-ABC.js');
    assert.equal(await uriOf('/console/config.json'), '/console/config.json');
  });

  it('deploys hashed assets as immutable and the page and its config (from the stack, not a request) as revalidated', () => {
    const deployments = ofType('Custom::CDKBucketDeployment').map(([, r]) => r.Properties);
    const assets = deployments.find((d) => d.DestinationBucketKeyPrefix === 'console/assets/');
    const page = deployments.find((d) => d.DestinationBucketKeyPrefix === 'console/');
    assert.ok(assets && page);
    assert.deepEqual(assets.SystemMetadata, { 'cache-control': CONSOLE_CACHE_CONTROL.immutable });
    assert.deepEqual(page.SystemMetadata, { 'cache-control': CONSOLE_CACHE_CONTROL.revalidate });
    assert.equal(assets.Prune, false);
    // config.json's values are the stack's own: the distribution's domain, the pool and its client.
    const markers = JSON.stringify(page.SourceMarkers);
    const idOf = (prefix: string) => Object.keys(root).find((id) => id.startsWith(prefix)) as string;
    assert.ok(markers.includes(`["${idOf('EdgeDistribution')}","DomainName"]`), 'the distribution');
    assert.ok(markers.includes(`{"Ref":"${idOf('AuthUserPoolClient')}"}`), 'the client');
    assert.ok(markers.includes(`{"Ref":"${idOf('AuthUserPool8')}"}`), 'the pool');
  });

  it("gives the deployment's role no write on the artifact bucket", () => {
    const roleStatements = ofType('AWS::IAM::Policy')
      .filter(([id]) => id.startsWith('CustomCDKBucketDeployment'))
      .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as unknown[]);
    assert.ok(roleStatements.length > 0);
    const artifactsId = Object.keys(root).find((id) => id.startsWith('StorageArtifacts') && root[id]?.Type === 'AWS::S3::Bucket');
    assert.ok(artifactsId);
    assert.doesNotMatch(JSON.stringify(roleStatements), new RegExp(artifactsId));
  });
});
