/** What a CDK app imports to deploy the update server: the construct for any stack, or the whole stack. */

export type { HostedUi, ThreatProtection } from './constructs/auth.js';
export type { EdgeTtl } from './constructs/edge.js';
export type { CustomDomain, RateLimit } from './constructs/edge-viewer.js';
export { propsFromContext } from './context.js';
export { OtaStack, type OtaStackProps } from './ota-stack.js';
export { OtaUpdateServer, type OtaUpdateServerProps } from './ota-update-server.js';
