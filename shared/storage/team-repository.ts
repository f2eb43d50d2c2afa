import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Permissions } from '../domain/permissions.js';
import { NO_PERMISSIONS } from '../domain/permissions.js';
import { bool, type Item, optStr, str } from './item-codec.js';
import { keys } from './keys.js';
import { queryAll } from './query-all.js';

/** A team user: a Cognito user acting on its owner's account within its permissions. */
export interface TeamMember {
  /** The Cognito `sub`: the team user's id. */
  id: string;
  username: string;
  ownerId: string;
  /** The owner's user name, faynoSync's `owner`. */
  ownerName?: string;
  permissions: Permissions;
  /** May manage API tokens within its own permissions. */
  tokens: boolean;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function toItem(member: TeamMember): Item {
  return {
    ...keys.member(member.id),
    GSI1PK: keys.membersOf(member.ownerId),
    GSI1SK: `${member.createdAt}#${member.id}`,
    type: 'member',
    id: member.id,
    username: member.username,
    ownerId: member.ownerId,
    ...(member.ownerName ? { ownerName: member.ownerName } : {}),
    permissions: JSON.stringify(member.permissions),
    tokens: member.tokens,
    disabled: member.disabled,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
  };
}

function fromItem(item: Item): TeamMember {
  const ownerName = optStr(item, 'ownerName');
  return {
    id: str(item, 'id'),
    username: str(item, 'username'),
    ownerId: str(item, 'ownerId'),
    ...(ownerName ? { ownerName } : {}),
    permissions: { ...NO_PERMISSIONS, ...(JSON.parse(str(item, 'permissions')) as Permissions) },
    tokens: bool(item, 'tokens'),
    disabled: bool(item, 'disabled'),
    createdAt: str(item, 'createdAt'),
    updatedAt: str(item, 'updatedAt'),
  };
}

/** Team users: one item each, read by id on every request the user makes, listed per owner through GSI1. */
export class TeamRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The team user, strongly consistent: a change of permissions applies to the very next request. */
  async get(id: string): Promise<TeamMember | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.tableName, Key: keys.member(id), ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async put(member: TeamMember): Promise<void> {
    await this.db.send(new PutCommand({ TableName: this.tableName, Item: toItem(member) }));
  }

  /** Replaces a team user's record if it still belongs to the owner; false when it is gone. */
  async replace(member: TeamMember): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: toItem(member),
          ConditionExpression: 'ownerId = :owner',
          ExpressionAttributeValues: { ':owner': member.ownerId },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  /**
   * Adds an id to one `allowed` list of a team user (what creating a resource grants its creator),
   * read-modify-write guarded by `updatedAt`, retried: two creations at once both land. Nothing when the user is gone.
   */
  async allow(id: string, change: (permissions: Permissions) => Permissions, now: () => Date = () => new Date()): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const member = await this.get(id);
      if (!member) return;
      // Always later than what was read, so the guard never takes a write of the same millisecond for no write.
      const at = new Date(Math.max(now().getTime(), Date.parse(member.updatedAt) + 1)).toISOString();
      try {
        await this.db.send(
          new UpdateCommand({
            TableName: this.tableName,
            Key: keys.member(id),
            UpdateExpression: 'SET #p = :p, updatedAt = :now',
            ConditionExpression: 'updatedAt = :seen',
            ExpressionAttributeNames: { '#p': 'permissions' },
            ExpressionAttributeValues: { ':p': JSON.stringify(change(member.permissions)), ':now': at, ':seen': member.updatedAt },
          }),
        );
        return;
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    }
    throw new Error(`team user ${id} changed too often to record what it created`);
  }

  async delete(id: string): Promise<void> {
    await this.db.send(new DeleteCommand({ TableName: this.tableName, Key: keys.member(id) }));
  }

  /** The owner's team users, oldest first. */
  async listByOwner(ownerId: string): Promise<TeamMember[]> {
    const items = await queryAll(this.db, {
      TableName: this.tableName,
      IndexName: 'GSI1',
      KeyConditionExpression: 'GSI1PK = :team',
      ExpressionAttributeValues: { ':team': keys.membersOf(ownerId) },
    });
    return items.map(fromItem);
  }
}
