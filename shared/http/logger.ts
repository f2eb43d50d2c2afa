import { Logger } from '@aws-lambda-powertools/logger';

/** Structured logs with the request id (Powertools), one logger per container; routes and event functions share it. */
export const logger = new Logger({ serviceName: 'ota-update-server' });
