import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CfnResource } from 'aws-cdk-lib';
import { ENV } from '../../shared/config/env.js';
import { MAX_DELIVERY_ATTEMPTS } from '../../shared/domain/webhook.js';
import { keys } from '../../shared/storage/keys.js';
import { TABLE_DEFINITION } from '../../shared/storage/table-definition.js';
import { logicalId, type Resource, type Synthesized, statementsOf, synthesize } from './support.js';

/** The webhook pipeline as synthesized: stream → fan-out → SQS (with its dead-letter queue) → delivery with batch item failures. */
describe('webhooks in the stack', () => {
  let s: Synthesized;
  let events: Record<string, Resource>;
  before(() => {
    s = synthesize();
    events = s.template(s.stack.events).Resources;
  });
  const fnId = (id: string) => {
    const f = s.stack.events.functions[id];
    if (!f) throw new Error(`no function ${id}`);
    return logicalId(s.stack.events, f.node.defaultChild as CfnResource);
  };
  const mappingOf = (id: string) =>
    Object.values(events).find((r) => r.Type === 'AWS::Lambda::EventSourceMapping' && r.Properties.FunctionName.Ref === fnId(id))
      ?.Properties;
  const deliveryQueueId = () => {
    const id = Object.entries(events).find(([, r]) => r.Type === 'AWS::SQS::Queue' && r.Properties.RedrivePolicy)?.[0];
    assert.ok(id, 'a queue with a redrive policy');
    return id;
  };

  it('sends new webhook event items only from the table stream to the fan-out, with an alarmed dead-letter queue', () => {
    const p = mappingOf('FanOutWebhooks');
    assert.ok(p);
    assert.deepEqual(JSON.parse(p.FilterCriteria.Filters[0].Pattern), {
      eventName: ['INSERT'],
      dynamodb: { NewImage: { [TABLE_DEFINITION.typeAttribute]: { S: [TABLE_DEFINITION.webhookEventType] } } },
    });
    assert.ok(p.MaximumRetryAttempts > 0);
    const dlq = p.DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
    assert.equal(events[dlq]?.Type, 'AWS::SQS::Queue');
    assert.ok(
      Object.values(events).some(
        (r) => r.Type === 'AWS::CloudWatch::Alarm' && JSON.stringify(r.Properties.Dimensions).includes(dlq) && r.Properties.Threshold === 1,
      ),
    );
  });

  it('queues deliveries in an encrypted queue whose redrive moves a message to an alarmed dead-letter queue after the last try', () => {
    const queue = events[deliveryQueueId()]?.Properties;
    assert.equal(queue?.SqsManagedSseEnabled, true);
    assert.equal(queue?.RedrivePolicy.maxReceiveCount, MAX_DELIVERY_ATTEMPTS);
    assert.ok(queue?.VisibilityTimeout >= 6 * 60, 'at least six times the delivery function timeout');
    const dlq = queue?.RedrivePolicy.deadLetterTargetArn['Fn::GetAtt'][0];
    assert.equal(events[dlq]?.Type, 'AWS::SQS::Queue');
    assert.ok(
      Object.values(events).some(
        (r) =>
          r.Type === 'AWS::CloudWatch::Alarm' &&
          r.Properties.MetricName === 'ApproximateNumberOfMessagesVisible' &&
          JSON.stringify(r.Properties.Dimensions).includes(dlq),
      ),
      'alarm on the dead-letter queue',
    );
  });

  it('consumes the queue with ReportBatchItemFailures, and each function has only what it needs', () => {
    const p = mappingOf('DeliverWebhook');
    assert.ok(p);
    assert.deepEqual(p.FunctionResponseTypes, ['ReportBatchItemFailures']);
    assert.deepEqual(p.EventSourceArn, { 'Fn::GetAtt': [deliveryQueueId(), 'Arn'] });
    const queue = deliveryQueueId();
    const deliver = statementsOf(s, s.stack.events.functions.DeliverWebhook as never);
    const fanOut = statementsOf(s, s.stack.events.functions.FanOutWebhooks as never);
    const sqsActions = (statements: typeof deliver) =>
      statements.filter((st) => JSON.stringify(st.Resource).includes(queue)).flatMap((st) => st.Action);
    assert.ok(sqsActions(deliver).includes('sqs:ChangeMessageVisibility'));
    assert.ok(!sqsActions(deliver).includes('sqs:SendMessage'));
    assert.ok(sqsActions(fanOut).includes('sqs:SendMessage'));
    assert.ok(!sqsActions(fanOut).includes('sqs:ReceiveMessage'));
    // The delivery function writes delivery records only.
    const puts = deliver.filter((st) => st.Action.includes('dynamodb:PutItem'));
    assert.deepEqual(
      puts.map((st) => st.Condition),
      [{ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...keys.webhookDeliveryLeadingKeys] } }],
    );
    assert.ok(!fanOut.some((st) => st.Action.some((a) => /Put|Update|Delete/.test(a) && a.startsWith('dynamodb:'))));
    for (const id of ['DeliverWebhook', 'FanOutWebhooks']) {
      const env = events[fnId(id)]?.Properties.Environment.Variables;
      assert.deepEqual(env[ENV.webhookQueueUrl], { Ref: queue });
      assert.equal(env[ENV.webhookAllowLocalHttp], undefined, 'never http:// in the cloud');
    }
  });
});
