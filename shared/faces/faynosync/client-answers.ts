import { Invalid, NotFound } from '../../domain/errors.js';
import type { FaynoView } from '../../domain/fayno-view.js';
import { EDGE_TTL_SECONDS, edgeCacheControl, PRIVATE_CACHE_CONTROL } from '../../http/edge.js';
import type { HttpEvent, HttpResult } from '../../http/http-types.js';
import { queryParam } from '../../http/request.js';
import { json, noUpdate, redirect } from '../../http/respond.js';
import type { DownloadAccess } from '../../services/download-access.js';
import type { FaynoViewLookup } from '../../storage/fayno-view-item.js';
import { APP_NOT_FOUND, appsLatest, type CheckOutcome, checkVersion, nextChange, validateCheckQuery } from './check.js';

/**
 * The two public faynoSync answers as HTTP: one read of the app's view, then the pure rules of
 * check.ts. Every answer may be cached at the edge (invalidated on every change of the owner's
 * apps), up to the moment a scheduled release goes live; a private app's answers need its download
 * token (for the channel asked for, when the token is limited to one) and are never cached.
 */
export class FaynoClientAnswers {
  constructor(
    private readonly views: FaynoViewLookup,
    private readonly baseUrl: string,
    private readonly behindEdge: boolean,
    /** The private-app door of one request (its download token). */
    private readonly accessFor: (event: HttpEvent) => DownloadAccess,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async checkVersion(event: HttpEvent): Promise<HttpResult> {
    const q = (name: string) => queryParam(event, name);
    const query = {
      appName: q('app_name'),
      version: q('version'),
      channel: q('channel'),
      platform: q('platform'),
      arch: q('arch'),
      updater: q('updater'),
    };
    // faynoSync checks the parameters' shapes before it reads anything.
    validateCheckQuery(query);
    const view = await this.view(q('owner'), query.appName, () => new Invalid(APP_NOT_FOUND));
    const access = await this.admit(event, view, query.channel);
    return this.render(checkVersion(view, query, this.baseUrl, this.now(), access.linkQuery()), view, access);
  }

  async appsLatest(event: HttpEvent): Promise<HttpResult> {
    const q = (name: string) => queryParam(event, name);
    const appName = q('app_name');
    const channel = q('channel');
    if (!appName || !channel) throw new Invalid("Parameters 'app_name' and 'channel' are required");
    // faynoSync answers 500 for an unknown app; a client mistake is a 404 here.
    const view = await this.view(q('owner'), appName, () => new NotFound(APP_NOT_FOUND));
    const query = { appName, channel, platform: q('platform'), arch: q('arch'), package: q('package') };
    const access = await this.admit(event, view, channel);
    return this.render(appsLatest(view, query, this.baseUrl, this.now(), access.linkQuery()), view, access);
  }

  private async view(owner: string | undefined, appName: string | undefined, missing: () => Error): Promise<FaynoView> {
    // Names that cannot be stored are not looked up (faynoSync's own regex comes first in checkVersion).
    if (!owner || !appName || owner.length > 128 || appName.length > 128) throw missing();
    const view = await this.views.read(owner, appName);
    if (!view) throw missing();
    return view;
  }

  /** A private app's answer needs its token, for the channel the request resolves to (its default when it names none). */
  private async admit(event: HttpEvent, view: FaynoView, channel: string | undefined): Promise<DownloadAccess> {
    const access = this.accessFor(event);
    const channelId = view.channelIds?.[channel || view.defaultChannel];
    await access.admitAnswer({ appId: view.appId, private: view.private === true, ...(channelId ? { channelId } : {}) });
    return access;
  }

  private render(outcome: CheckOutcome, view: FaynoView, access: DownloadAccess): HttpResult {
    const change = nextChange(view, this.now());
    const cacheControl = access.isPrivate
      ? PRIVATE_CACHE_CONTROL
      : edgeCacheControl(change ? (change.getTime() - this.now().getTime()) / 1000 : EDGE_TTL_SECONDS);
    if (outcome.kind === 'redirect') return redirect(outcome.location, cacheControl);
    if (outcome.kind === 'json') return json(200, outcome.body, cacheControl);
    return noUpdate(cacheControl, this.behindEdge);
  }
}
