import { ENV, requireEnv } from '../config/env.js';
import { feedRepository } from './container.js';
import { type FeedAccess, FeedService } from './feed-service.js';

/**
 * The feed service of one request (its private-app door decides what it may answer). Apart from
 * the container because its renderers bring YAML and XML libraries that only the feed functions
 * should carry.
 */
export function feedService(access: FeedAccess): FeedService {
  return new FeedService(feedRepository(), requireEnv(ENV.publicBaseUrl).replace(/\/+$/, ''), undefined, access);
}
