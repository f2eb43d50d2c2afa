import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RouteDefinition } from '../../shared/http/route-definition.js';
import { EVENT_FUNCTIONS, ROUTES } from '../../shared/routes.js';
import { inRootTerms, type Resource, type Synthesized, statementsOf, synthesize } from './support.js';

/** Logical ids of the root stack's CloudFront resources, by type. */
function edgeIds(s: Synthesized): Record<string, string[]> {
  const resources = s.template(s.stack).Resources;
  const ids: Record<string, string[]> = {};
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type.startsWith('AWS::CloudFront::')) ids[r.Type] = [...(ids[r.Type] ?? []), id];
  }
  for (const list of Object.values(ids)) list.sort();
  return ids;
}

/** More edge-cached routes of every kind the table has: slug-addressed with a rollout, app-addressed, keyed by query. */
function moreCachedRoutes(): RouteDefinition[] {
  const template = ROUTES.find((r) => r.id === 'TauriStaticFeed') as RouteDefinition;
  return [
    {
      ...template,
      id: 'ExtraCheck',
      path: '/feeds/{slug}/{channel}/extra/{arch}/{current_version}',
      edgeCache: { query: ['channel', 'extra'], deviceBucket: true },
    },
    { ...template, id: 'ExtraFile', path: '/extra-files/{app_id}/{file}', edgeCache: { query: ['package'], downloadToken: true } },
    { ...template, id: 'ExtraFayno', path: '/extra/latest', edgeCache: { query: ['owner', 'app_name', 'color'] } },
  ];
}

describe('the edge without invalidations (synthesized template)', () => {
  let s: Synthesized;
  let root: Record<string, Resource>;

  before(() => {
    s = synthesize();
    root = s.template(s.stack).Resources;
  });

  it('has at most 2 custom cache policies, so 10 deployments fit the 20 per account', () => {
    const policies = Object.values(root).filter((r) => r.Type === 'AWS::CloudFront::CachePolicy');
    assert.ok(policies.length <= 2, `${policies.length} cache policies`);
  });

  it('derives every CloudFront logical id from what it is: adding cached routes changes none', () => {
    const before = edgeIds(s);
    const grown = edgeIds(synthesize({ routes: [...ROUTES, ...moreCachedRoutes()] }, { id: 'Grown' }));
    assert.deepEqual(grown['AWS::CloudFront::CachePolicy'], before['AWS::CloudFront::CachePolicy']);
    assert.deepEqual(grown['AWS::CloudFront::OriginRequestPolicy'], before['AWS::CloudFront::OriginRequestPolicy']);
    assert.deepEqual(grown['AWS::CloudFront::Function'], before['AWS::CloudFront::Function']);
    assert.deepEqual(grown['AWS::CloudFront::KeyValueStore'], before['AWS::CloudFront::KeyValueStore']);
  });

  it('associates the KeyValueStore with the viewer-request function that reads it', () => {
    const stores = Object.entries(root).filter(([, r]) => r.Type === 'AWS::CloudFront::KeyValueStore');
    assert.equal(stores.length, 1);
    const [storeId] = stores[0] as [string, Resource];
    const functions = Object.values(root).filter((r) => r.Type === 'AWS::CloudFront::Function');
    const reading = functions.filter((f) => JSON.stringify(f.Properties.FunctionConfig.KeyValueStoreAssociations ?? []).includes(storeId));
    assert.equal(reading.length, 1);
    const fn = reading[0] as Resource;
    assert.equal(fn.Properties.FunctionConfig.Runtime, 'cloudfront-js-2.0');
    assert.match(fn.Properties.FunctionCode, /import cf from 'cloudfront';/);
    assert.ok(fn.Properties.FunctionCode.length <= 10_240, 'CloudFront Functions take at most 10 KB of code');
  });

  it("limits the edge-state writer to the store's data plane on that store, and nothing else writes it", () => {
    const writerId = EVENT_FUNCTIONS.find((d) => d.grants.includes('edge:state'))?.id;
    assert.equal(writerId, 'InvalidateEdge');
    const storeId = Object.keys(root).find((id) => root[id]?.Type === 'AWS::CloudFront::KeyValueStore');
    const holders = Object.entries(s.stack.functions).filter(([, fn]) =>
      statementsOf(s, fn).some((st) => JSON.stringify(st.Action).includes('cloudfront-keyvaluestore:')),
    );
    assert.deepEqual(
      holders.map(([id]) => id),
      [writerId],
      'only the writer',
    );
    const writer = s.stack.functions[writerId] as IFunction;
    const statements = statementsOf(s, writer).filter((st) => JSON.stringify(st.Action).includes('cloudfront-keyvaluestore:'));
    assert.equal(statements.length, 1);
    const [statement] = statements;
    assert.deepEqual([statement?.Action].flat().sort(), [
      'cloudfront-keyvaluestore:DeleteKey',
      'cloudfront-keyvaluestore:DescribeKeyValueStore',
      'cloudfront-keyvaluestore:GetKey',
      'cloudfront-keyvaluestore:PutKey',
      'cloudfront-keyvaluestore:UpdateKeys',
    ]);
    assert.deepEqual(inRootTerms(s, Stack.of(writer), [statement?.Resource].flat()), [{ 'Fn::GetAtt': [storeId, 'Arn'] }]);
  });
});
