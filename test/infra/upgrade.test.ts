import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { Stack } from 'aws-cdk-lib';
import { routeStackId } from '../../infra/route-stacks.js';
import { ROUTES } from '../../shared/routes.js';
import { logicalId, type Synthesized, synthesize } from './support.js';

/**
 * Logical ids of what must survive an upgrade, read from the root templates of the earlier layouts
 * (`flat` at f8c5506, `domain-stacks` at 93476b8, synthesized from those commits): the same in both.
 * A new logical id would make CloudFormation create a new resource and drop the old one (retained
 * and orphaned for the table, buckets and pool; a new *.cloudfront.net hostname for the distribution).
 */
const KEPT = {
  DataTableFDBAD0F2: { type: 'AWS::DynamoDB::GlobalTable', retained: true },
  StorageLogs2A2D4D26: { type: 'AWS::S3::Bucket', retained: true },
  StorageArtifacts08431D1F: { type: 'AWS::S3::Bucket', retained: true },
  AuthUserPool8115E87F: { type: 'AWS::Cognito::UserPool', retained: true },
  AuthUserPoolClientC635291F: { type: 'AWS::Cognito::UserPoolClient', retained: false },
  ApiHttpApi4C294DC0: { type: 'AWS::ApiGatewayV2::Api', retained: false },
  EdgeDistribution0060737B: { type: 'AWS::CloudFront::Distribution', retained: false },
} as const;

/** Route keys of every API route in the synthesized templates, with the logical id of the nested stack holding it. */
function apiRoutes(s: Synthesized): Map<string, string> {
  const found = new Map<string, string>();
  for (const stack of s.stacks) {
    const where = stack.nestedStackResource ? logicalId(s.stack, stack.nestedStackResource) : '(root)';
    for (const r of Object.values(s.template(stack).Resources)) {
      if (r.Type === 'AWS::ApiGatewayV2::Route') found.set(r.Properties.RouteKey as string, where);
    }
  }
  return found;
}

describe('upgrading from an earlier layout', () => {
  let current: Synthesized;
  let fromFlat: Synthesized;
  let fromDomainStacks: Synthesized;
  before(() => {
    current = synthesize({}, { id: 'OtaUpdateServer' });
    fromFlat = synthesize({ upgradeFrom: 'flat' }, { id: 'OtaUpdateServer' });
    fromDomainStacks = synthesize({ upgradeFrom: 'domain-stacks' }, { id: 'OtaUpdateServer' });
  });

  it('keeps the table, buckets, user pool, API and distribution under their earlier logical ids, retained where they hold data', () => {
    for (const s of [current, fromFlat, fromDomainStacks]) {
      const resources = s.template(s.stack).Resources;
      for (const [id, { type, retained }] of Object.entries(KEPT)) {
        assert.equal(resources[id]?.Type, type, id);
        if (retained) {
          assert.equal(resources[id]?.DeletionPolicy, 'Retain', id);
          assert.equal((resources[id] as { UpdateReplacePolicy?: string }).UpdateReplacePolicy, 'Retain', id);
        }
      }
      assert.equal(resources.DataTableFDBAD0F2?.Properties.DeletionProtectionEnabled ?? true, true);
    }
  });

  it('first deploy from the flat layout: no API route anywhere (each moves out of the root stack)', () => {
    assert.equal(apiRoutes(fromFlat).size, 0);
    assert.equal(Object.keys(fromFlat.stack.routes.functions).length, ROUTES.length, 'the functions are created already');
  });

  it('first deploy from the domain stacks: only the routes that stay in their stack keep an API route', () => {
    const kept = apiRoutes(fromDomainStacks);
    const all = apiRoutes(current);
    assert.ok(kept.size > 0 && kept.size < all.size);
    for (const route of ROUTES) {
      const key = route.path === '$default' ? '$default' : `${route.method} ${route.path}`;
      const stays = routeStackId(route) === `${route.domain[0]?.toUpperCase()}${route.domain.slice(1)}Routes`;
      assert.equal(kept.has(key), stays, key);
      // The second (plain) deploy puts the route where the first one left it, or creates it.
      if (stays) assert.equal(kept.get(key), all.get(key), key);
    }
  });

  it('the second deploy is the plain one: every route in its stack', () => {
    assert.equal(apiRoutes(current).size, ROUTES.length);
    for (const route of ROUTES) {
      const fn = current.stack.routes.functions[route.id];
      assert.ok(fn);
      assert.equal(Stack.of(fn).node.id, routeStackId(route), route.id);
    }
  });
});
