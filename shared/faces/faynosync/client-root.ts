import { ENV, requireEnv } from '../../config/env.js';
import { presentedDownloadToken } from '../../http/download-token.js';
import { behindEdge, downloadAccess, faynoViewRepository } from '../../services/container.js';
import { FaynoClientAnswers } from './client-answers.js';

let answers: FaynoClientAnswers | undefined;

/** The faynoSync public answers of this container, built once. */
export function fayno(): FaynoClientAnswers {
  answers ??= new FaynoClientAnswers(faynoViewRepository(), requireEnv(ENV.publicBaseUrl).replace(/\/+$/, ''), behindEdge(), (event) =>
    downloadAccess(presentedDownloadToken(event)),
  );
  return answers;
}
