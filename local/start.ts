import { type LocalStack, startLocalStack } from './stack.js';
import { localStateDir } from './state-dir.js';

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`${name} must be a port number, got "${raw}"`);
  return port;
}

let stack: LocalStack;
try {
  stack = await startLocalStack({
    stateDir: localStateDir(),
    port: portFromEnv('PORT', 3000),
    dynamoDbPort: portFromEnv('DYNAMODB_PORT', 0),
    s3Port: portFromEnv('S3_PORT', 0),
    cognitoPort: portFromEnv('COGNITO_PORT', 0),
  });
} catch (error) {
  // A taken port or a stack already running on .local: the message says what to do.
  console.error(`The local stack did not start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const { info } = stack;
const updaterSnippet = {
  plugins: {
    updater: {
      endpoints: [`${info.apiUrl}/api/sync/ota/<your-slug>/{{target}}/{{arch}}/{{current_version}}?bundle_type={{bundle_type}}`],
    },
  },
};
console.log(`
OTA update server running (local emulators; state in ${localStateDir()}, endpoints in its stack.json)

  API           ${info.apiUrl}
  Health        ${info.apiUrl}/health
  Console       ${info.apiUrl}/console/   (sign in as the admin below)
  Region        ${info.region}
  DynamoDB      ${info.dynamoDbEndpoint}   table ${info.tableName}
  S3            ${info.s3Endpoint}   bucket ${info.bucketName}
  Cognito       ${info.cognito.endpoint}   pool ${info.cognito.userPoolId}   client ${info.cognito.clientId}
  Admin         ${info.admin.username} / ${info.admin.password}

Sign in (access token for Authorization: Bearer …):
  npm run --silent token

faynoSync clients (CI scripts, dashboard): point them at ${info.apiUrl}
  Sign-up key   ${info.signupKey ?? '(sign-up off)'}   (api_key of POST /signup; also in .local/stack.json)
  curl -X POST -d '{"username":"<name>","password":"<12+ chars: Aa1!>","api_key":"${info.signupKey ?? ''}"}' ${info.apiUrl}/signup
  curl -X POST -d '{"username":"<name>","password":"<password>"}' ${info.apiUrl}/login

Tauri (tauri.conf.json, after PUT /api/sync/ota/apps/{app_id}/slug):
${JSON.stringify(updaterSnippet, null, 2)}
  (Tauri refuses plain-http endpoints in release builds unless "dangerousInsecureTransportProtocol": true.)

Other updaters (docs/feeds.md):
  electron-updater  ${info.apiUrl}/feeds/<your-slug>/electron/
  Sparkle           ${info.apiUrl}/feeds/<your-slug>/stable/sparkle/<arch>/appcast.xml
  Velopack          ${info.apiUrl}/feeds/<your-slug>/stable/velopack

Ctrl+C stops.`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    stack.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
