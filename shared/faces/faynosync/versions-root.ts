/** The faynoSync versions face, built once per container from the composition root's services. */
import { ENV, requireEnv } from '../../config/env.js';
import { appService, artifactStore, catalogService, deletionService, releaseService, releaseUploads } from '../../services/container.js';
import { FaynoVersions } from './versions.js';

let built: FaynoVersions | undefined;

export function faynoVersions(): FaynoVersions {
  built ??= new FaynoVersions(
    appService(),
    catalogService(),
    releaseService(),
    releaseUploads(),
    deletionService(),
    artifactStore(),
    requireEnv(ENV.publicBaseUrl),
  );
  return built;
}
