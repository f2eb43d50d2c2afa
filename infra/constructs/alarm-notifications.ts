import { Aspects, type IAspect } from 'aws-cdk-lib';
import { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct, type IConstruct } from 'constructs';

export interface AlarmNotificationsProps {
  /** An address subscribed to the topic (`cdk deploy -c alarmEmail=ops@example.com`); it must confirm the subscription. */
  readonly email?: string;
}

/**
 * The SNS topic every alarm of the stack notifies, on ALARM and again on OK. Wired by an aspect
 * over the whole construct tree (nested stacks included), so an alarm added later cannot be left
 * without an action. What each alarm means: docs/operations.md#alarms.
 */
export class AlarmNotifications extends Construct {
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: AlarmNotificationsProps = {}) {
    super(scope, id);
    this.topic = new Topic(this, 'Topic', { displayName: 'OTA update server alarms', enforceSSL: true });
    if (props.email) {
      if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(props.email)) throw new Error(`Alarm e-mail: ${props.email} is not an e-mail address`);
      this.topic.addSubscription(new EmailSubscription(props.email));
    }
    Aspects.of(scope).add(new NotifyEveryAlarm(this.topic));
  }
}

class NotifyEveryAlarm implements IAspect {
  private readonly action: SnsAction;
  private readonly wired = new Set<Alarm>();

  constructor(topic: Topic) {
    this.action = new SnsAction(topic);
  }

  visit(node: IConstruct): void {
    if (!(node instanceof Alarm) || this.wired.has(node)) return;
    this.wired.add(node);
    node.addAlarmAction(this.action);
    node.addOkAction(this.action);
  }
}
