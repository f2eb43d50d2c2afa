import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, Billing, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE_DEFINITION } from '../../shared/storage/table-definition.js';

/**
 * The single DynamoDB table. Retained and deletion-protected: it is the record of every release.
 * Its stream carries new outbox items to the edge invalidator.
 */
export class Data extends Construct {
  readonly table: TableV2;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const t = TABLE_DEFINITION;
    this.table = new TableV2(this, 'Table', {
      partitionKey: { name: t.partitionKey, type: AttributeType.STRING },
      sortKey: { name: t.sortKey, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      timeToLiveAttribute: t.timeToLiveAttribute,
      dynamoStream: StreamViewType[t.streamView],
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: t.globalIndexes.map((g) => ({
        indexName: g.indexName,
        partitionKey: { name: g.partitionKey, type: AttributeType.STRING },
        sortKey: { name: g.sortKey, type: AttributeType.STRING },
      })),
    });
  }
}
