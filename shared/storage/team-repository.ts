import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ResourceType } from '../domain/access.js';
import type { Permissions } from '../domain/permissions.js';
import { NO_PERMISSIONS, withAllowed } from '../domain/permissions.js';
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

/** The kinds of resource a team user's creations are granted on. */
export type GrantType = Exclude<ResourceType, 'token'>;
const GRANT_TYPES: readonly GrantType[] = ['app', 'channel', 'platform', 'arch'];

/**
 * What the user created since its permissions were last written: a string set of `<type>:<id>`,
 * added to without a read (`allow`), folded into `permissions` on every read and by the next write
 * of the whole record (which therefore leaves the set out).
 */
const GRANTED = 'granted';

function withGrants(permissions: Permissions, item: Item): Permissions {
  const raw = item[GRANTED];
  if (raw === undefined || raw === null) return permissions;
  if (!(raw instanceof Set)) throw new Error(`Stored item ${String(item.PK)}/${String(item.SK)}: ${GRANTED} is not a string set`);
  // Ids are ULIDs (or catalog ids): sorted, they come in creation order, as one list would have kept them.
  return [...(raw as Set<unknown>)]
    .filter((g): g is string => typeof g === 'string')
    .sort()
    .reduce((p, grant) => {
      const at = grant.indexOf(':');
      const type = grant.slice(0, at) as GrantType;
      return GRANT_TYPES.includes(type) ? withAllowed(p, type, grant.slice(at + 1)) : p;
    }, permissions);
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
    permissions: withGrants({ ...NO_PERMISSIONS, ...(JSON.parse(str(item, 'permissions')) as Permissions) }, item),
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
   * Adds an id to one `allowed` list of a team user (what creating a resource grants its creator):
   * one `ADD` to the item's string set of grants, which needs no read, so any number of creations at
   * once all land and none waits or gives up. Nothing when the user is gone.
   */
  async allow(id: string, type: GrantType, resourceId: string): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.member(id),
          UpdateExpression: 'ADD #g :g',
          ConditionExpression: 'attribute_exists(PK)',
          ExpressionAttributeNames: { '#g': GRANTED },
          ExpressionAttributeValues: { ':g': new Set([`${type}:${resourceId}`]) },
        }),
      );
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
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
