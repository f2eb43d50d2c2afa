/**
 * The dependency rule, checked by `npm run deps` (part of `npm test`). Imports point one way:
 *
 *   domain ← config, protocols ← storage, clients ← services ← http, auth ← faces, route table ← lambdas, local, infra, cli
 *
 * Each layer may import the layers to its left, never one to its right. Type-only imports count
 * (`tsPreCompilationDeps`): a type is a dependency too.
 */

/** Every module of the project (not node_modules, not tests). */
const PROJECT = '^(shared|lambdas|infra|local|cli)/';
/** The route table: the list that assembles every face's routes. */
const TABLE = '^shared/routes[-a-z]*\\.ts$';

/** A rule: modules matching `from` may import project modules only from `allowed` (and npm packages). */
function onlyImports(name, comment, from, allowed) {
  return {
    name,
    comment,
    severity: 'error',
    from: { path: from },
    to: { path: PROJECT, pathNot: allowed },
  };
}

const DOMAIN = '^shared/domain/';
const BELOW_STORAGE = [DOMAIN, '^shared/(config|protocols)/'];
const BELOW_SERVICES = [...BELOW_STORAGE, '^shared/(storage|clients)/'];
const BELOW_HTTP = [...BELOW_SERVICES, '^shared/services/'];
const BELOW_FACES = [...BELOW_HTTP, '^shared/(http|auth)/'];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circle, of any length: each module can be read, tested and bundled without the ones that use it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    onlyImports(
      'domain-imports-domain',
      'The domain (entities, rules, vocabulary, pure builders) imports nothing of the project but itself.',
      DOMAIN,
      [DOMAIN],
    ),
    onlyImports(
      'config-and-protocols-import-domain',
      'Environment names and the protocol renderers are pure functions of domain objects.',
      '^shared/(config|protocols)/',
      BELOW_STORAGE,
    ),
    onlyImports(
      'storage-imports-domain',
      'Storage (repositories, key builders, table/bucket/user-pool definitions) and the AWS clients know the domain, never a service, the HTTP layer or a face.',
      '^shared/(storage|clients)/',
      BELOW_SERVICES,
    ),
    onlyImports(
      'services-import-storage-and-domain',
      'Services receive an already-authorized caller and return domain objects: no HTTP, no auth, no face.',
      '^shared/services/',
      BELOW_HTTP,
    ),
    onlyImports(
      'http-and-auth-import-services',
      'The HTTP layer (middleware, schemas, DTOs, route definitions) and auth sit below every face and the route table: a lambda hands the middleware its route (`apiRoute(routeById(…), …)`).',
      '^shared/(http|auth)/',
      BELOW_FACES,
    ),
    onlyImports(
      'faces-import-below-them',
      'A face (faynoSync, Koolbase) declares its routes and wire shapes; the route table includes the faces, never the other way round, and one face never imports another.',
      '^shared/faces/([^/]+)/',
      [...BELOW_FACES, '^shared/faces/$1/'],
    ),
    onlyImports('table-imports-faces', 'The route table assembles the faces route lists.', TABLE, [
      ...BELOW_FACES,
      '^shared/faces/',
      TABLE,
    ]),
    {
      name: 'shared-imports-no-entry-point',
      comment: 'shared/ is used by lambdas/, local/ and infra/, never the other way round.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '^(lambdas|infra|local)/' },
    },
    {
      name: 'shared-no-cdk-no-lambda-types',
      comment: 'shared/ imports no CDK and no Lambda event types (STYLE.md): it runs in a function and in the local gateway alike.',
      severity: 'error',
      from: { path: '^shared/' },
      to: { path: '(^|/)node_modules/(aws-cdk-lib|aws-cdk|constructs|cdk-nag|@types/aws-lambda)/' },
    },
    {
      name: 'lambdas-are-entry-points',
      comment: 'A lambda is a thin entry point: it imports shared/, never another lambda, local/ or infra/.',
      severity: 'error',
      from: { path: '^lambdas/' },
      to: { path: '^(lambdas|infra|local)/' },
    },
    {
      name: 'infra-imports-no-handler-internals',
      comment:
        'infra/ builds the stack from the route table and the resource definitions (table, bucket, user pool, keys, edge contract); it never imports a handler, a service, a repository or a face.',
      severity: 'error',
      from: { path: '^infra/' },
      to: {
        path: '^(shared|lambdas|local)/',
        pathNot: [
          TABLE,
          DOMAIN,
          '^shared/config/',
          '^shared/http/(route-definition|edge|errors|api-gateway-limits|body-limit|console)\\.ts$',
          '^shared/storage/(table-definition|bucket-definition|user-pool-definition|keys|object-tags)\\.ts$',
        ],
      },
    },
    {
      name: 'nothing-imports-cli',
      comment: 'cli/ (the `ota` command) is a client of the API: it reads the route table and its schemas, and nothing imports it.',
      severity: 'error',
      from: { path: '^(shared|lambdas|infra|local)/' },
      to: { path: '^cli/' },
    },
    {
      name: 'cli-imports-the-contract',
      comment: 'The CLI talks HTTP: it may read the route table, its schemas and the domain, never a service, storage, a client or local/.',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^(lambdas|infra|local)/|^shared/(services|storage|clients|auth)/' },
    },
    {
      name: 'console-imports-the-contract',
      comment:
        'console/ (the web console) runs in a browser and talks HTTP: it may read the contract (schemas, types, the console definition), never a service, storage, a client, a face or an entry point.',
      severity: 'error',
      from: { path: '^console/' },
      to: { path: '^(lambdas|infra|local|cli)/|^shared/(services|storage|clients|auth|faces)/|^shared/routes' },
    },
    {
      name: 'only-entry-points-build-the-console',
      comment: 'The console is built by infra/ (at synth) and local/ (npm start); nothing shipped in a function imports it.',
      severity: 'error',
      from: { path: '^(shared|lambdas|cli)/' },
      to: { path: '^console/' },
    },
    {
      name: 'nothing-imports-local',
      comment: 'local/ (the emulators and the gateway) is a development entry point: no shipped code depends on it.',
      severity: 'error',
      from: { path: '^(shared|lambdas|infra)/' },
      to: { path: '^local/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
  },
};
