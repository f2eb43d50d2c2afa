import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { OtaStackProps } from '../../infra/ota-stack.js';
import { logicalId, type Synthesized, synthesize } from './support.js';

/**
 * The logical ids an existing deployment holds: every resource, output and parameter of the root
 * stack and of each nested stack (by the nested stack's own logical id and template file), for the
 * default deployment and for one with every option set. Taken from the code before `OtaUpdateServer`
 * became a construct (`WRITE_LOGICAL_IDS=1` rewrites the fixture: only ever for a deliberate, documented move).
 * A missing id, or one whose type changed, is a resource CloudFormation would replace.
 */
const FIXTURE = join(import.meta.dirname, 'fixtures', 'logical-ids.json');

const CERTIFICATE = 'arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
const CONFIGURATIONS: Record<string, OtaStackProps> = {
  default: {},
  'every option': {
    env: { account: '123456789012', region: 'us-east-1' },
    customDomain: { domainName: 'updates.example.com', certificateArn: CERTIFICATE },
    rateLimit: { requestsPer5Minutes: 2000 },
    alarmEmail: 'ops@example.com',
    ingestConcurrency: 20,
    threatProtection: 'audit',
    hostedUi: { domainPrefix: 'ota-test', callbackUrls: ['https://admin.example.com/callback'] },
    faynosyncSignup: true,
    auditRetentionDays: 365,
    slugHoldDays: 90,
    originSecretVersionId: '11111111-2222-3333-4444-555555555555',
  },
};

interface StackIds {
  readonly templateFile: string;
  readonly resources: Record<string, string>;
  readonly outputs: string[];
  readonly parameters: string[];
}
type Ids = Record<string, StackIds>;

/** The ids of every template, keyed `(root)` or by the nested stack's logical id in the root. */
function idsOf(s: Synthesized): Ids {
  const ids: Ids = {};
  for (const stack of s.stacks) {
    const template = s.template(stack);
    const key = stack.nestedStackResource ? logicalId(s.stack, stack.nestedStackResource) : '(root)';
    ids[key] = {
      templateFile: stack.templateFile,
      resources: Object.fromEntries(Object.entries(template.Resources).map(([id, r]) => [id, r.Type])),
      outputs: Object.keys(template.Outputs ?? {}),
      parameters: Object.keys(template.Parameters ?? {}),
    };
  }
  return ids;
}

describe('logical ids of an existing deployment', () => {
  const current: Record<string, Ids> = {};
  before(() => {
    for (const [name, props] of Object.entries(CONFIGURATIONS)) current[name] = idsOf(synthesize(props, { id: 'OtaUpdateServer' }));
    if (process.env.WRITE_LOGICAL_IDS === '1') writeFileSync(FIXTURE, `${JSON.stringify(current, null, 2)}\n`);
  });
  const fixture = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, Ids>;

  for (const name of Object.keys(CONFIGURATIONS)) {
    it(`${name}: every nested stack, resource, output and parameter keeps its logical id (and resources their type)`, () => {
      const was = fixture[name];
      const now = current[name];
      assert.ok(was && now, name);
      // Nested stacks: the same logical ids and template files (new ones may be added).
      for (const [stackId, old] of Object.entries(was)) {
        const built: StackIds | undefined = now[stackId];
        assert.ok(built, `nested stack ${stackId} is gone`);
        assert.equal(built.templateFile, old.templateFile, stackId);
        for (const [id, type] of Object.entries(old.resources)) assert.equal(built.resources[id], type, `${stackId}: ${id}`);
        for (const id of old.outputs) assert.ok(built.outputs.includes(id), `${stackId}: output ${id}`);
        for (const id of old.parameters) assert.ok(built.parameters.includes(id), `${stackId}: parameter ${id}`);
      }
    });
  }
});
