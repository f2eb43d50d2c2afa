/**
 * The door of a private app, for one public request: every answer of a private app (checks, feeds,
 * downloads) is admitted here against the download token the request presented. Public apps pass
 * without a read. Dependency-free apart from the domain, so the lean check path can load it.
 */
import {
  type DownloadTokenGrant,
  downloadTokenHash,
  grantRefusal,
  isDownloadTokenShape,
  type PresentedToken,
  REFUSAL_MESSAGES,
} from '../domain/download-token.js';
import { Unauthorized } from '../domain/errors.js';
import type { GrantLookup } from '../storage/download-token-item.js';

/** What an answer says about its app: whose it is, whether it is private, and (feeds) which channel it is. */
export interface AnswerAccess {
  appId: string;
  private?: boolean;
  /** The catalog id of the one channel the answer belongs to, when it belongs to one. */
  channelId?: string;
}

export class DownloadAccess {
  private privateAnswer = false;
  private read?: Promise<DownloadTokenGrant | undefined>;

  constructor(
    private readonly lookup: GrantLookup,
    private readonly presented: PresentedToken | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** True once an answer of a private app was admitted: the response must then bypass every shared cache. */
  get isPrivate(): boolean {
    return this.privateAnswer;
  }

  /**
   * The query to append to the links a private answer hands out (`token=…`), when the client sent
   * its token in the query: it cannot send headers, so the links must carry it. Empty otherwise
   * (a client that sends a header sends it to the links too, and a public answer is shared).
   */
  linkQuery(): string {
    if (!this.privateAnswer || this.presented?.via !== 'query') return '';
    return `token=${encodeURIComponent(this.presented.value)}`;
  }

  /** Admits an answer that belongs to one channel (or none): a channel-limited token opens only its own. */
  admitAnswer(answer: AnswerAccess): Promise<void> {
    return this.admit(answer.appId, answer.private === true, (channelId) => channelId === answer.channelId);
  }

  /**
   * Admits an answer of `appId`; throws Unauthorized (401) for a private app without a token that
   * opens it. `opensChannel` decides for a token limited to one channel (a release may be reached
   * through the channels that follow its own). The token is read at most once per request.
   */
  async admit(appId: string, isPrivate: boolean, opensChannel: (channelId: string) => boolean | Promise<boolean>): Promise<void> {
    if (!isPrivate) return;
    this.privateAnswer = true;
    if (!this.presented) throw new Unauthorized(REFUSAL_MESSAGES.missing);
    const grant = await this.grant();
    let opens = true;
    if (grant?.channelId !== undefined && grant.appId === appId) opens = await opensChannel(grant.channelId);
    const refusal = grantRefusal(grant, appId, this.now(), () => opens);
    if (refusal) throw new Unauthorized(REFUSAL_MESSAGES[refusal]);
  }

  private grant(): Promise<DownloadTokenGrant | undefined> {
    const presented = this.presented;
    if (!presented || !isDownloadTokenShape(presented.value)) return Promise.resolve(undefined);
    this.read ??= this.lookup.grant(downloadTokenHash(presented.value));
    return this.read;
  }
}
