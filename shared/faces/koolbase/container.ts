import { dynamoDocumentClient } from '../../clients/dynamodb.js';
import { ENV, requireEnv } from '../../config/env.js';
import {
  artifactService,
  catalogRepository,
  deletionService,
  outboxRepository,
  releaseRepository,
  releaseService,
} from '../../services/container.js';
import { KoolbaseService } from '../../services/koolbase-service.js';
import { KoolbaseRepository } from '../../storage/koolbase-repository.js';

let repository: KoolbaseRepository | undefined;
let service: KoolbaseService | undefined;

export function koolbaseRepository(): KoolbaseRepository {
  repository ??= new KoolbaseRepository(dynamoDocumentClient(), requireEnv(ENV.tableName));
  return repository;
}

/** The Koolbase face's service, built from the composition root's services on first use. */
export function koolbaseService(): KoolbaseService {
  service ??= new KoolbaseService(
    catalogRepository(),
    releaseRepository(),
    releaseService(),
    artifactService(),
    deletionService(),
    koolbaseRepository(),
    outboxRepository(),
  );
  return service;
}
