import { ENV, requireEnv } from '../config/env.js';
import { feedRepository } from './container.js';
import { FeedService } from './feed-service.js';

/**
 * The feed service, built on first use. Apart from the container because its renderers bring YAML
 * and XML libraries that only the feed functions should carry.
 */
let service: FeedService | undefined;

export function feedService(): FeedService {
  service ??= new FeedService(feedRepository(), requireEnv(ENV.publicBaseUrl).replace(/\/+$/, ''));
  return service;
}
