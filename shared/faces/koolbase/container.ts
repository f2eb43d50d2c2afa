import {
  catalogRepository,
  deletionService,
  koolbaseRepository,
  releaseRepository,
  releaseService,
  releaseUploads,
} from '../../services/container.js';
import { KoolbaseService } from '../../services/koolbase-service.js';

let service: KoolbaseService | undefined;

/** The Koolbase face's service, built from the composition root's services on first use. */
export function koolbaseService(): KoolbaseService {
  service ??= new KoolbaseService(
    catalogRepository(),
    releaseRepository(),
    releaseService(),
    releaseUploads(),
    deletionService(),
    koolbaseRepository(),
  );
  return service;
}
