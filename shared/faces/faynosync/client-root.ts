import { ENV, requireEnv } from '../../config/env.js';
import { presentedDownloadToken } from '../../http/download-token.js';
import { behindEdge } from '../../http/lean-route.js';
import { DownloadAccess } from '../../services/download-access.js';
import { leanGrantLookup } from '../../storage/download-token-item.js';
import { leanViewLookup } from '../../storage/fayno-view-item.js';
import { LeanFeedReader } from '../../storage/lean-feed-reader.js';
import { FaynoClientAnswers } from './client-answers.js';

let answers: FaynoClientAnswers | undefined;

/**
 * The faynoSync public answers of this container, built once. Like the Tauri check, they read with
 * the lean signed GetItem (the app's view; a private app's token too): no SDK client to load.
 */
export function fayno(): FaynoClientAnswers {
  if (!answers) {
    const reader = new LeanFeedReader(requireEnv(ENV.tableName));
    const grants = leanGrantLookup(reader);
    answers = new FaynoClientAnswers(
      leanViewLookup(reader),
      requireEnv(ENV.publicBaseUrl).replace(/\/+$/, ''),
      behindEdge(),
      (event) => new DownloadAccess(grants, presentedDownloadToken(event)),
    );
  }
  return answers;
}
