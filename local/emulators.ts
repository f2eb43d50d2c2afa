import { type ChildProcess, spawn } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import S3rver from 's3rver';
import { waitFor } from './ports.js';

const require = createRequire(import.meta.url);

export interface RunningEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

/** Starts an emulator process and waits until `probeUrl` answers; stops it again if it never does. */
async function spawnEmulator(
  name: string,
  command: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv },
  endpoint: string,
  probeUrl: string,
): Promise<RunningEmulator> {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4_000);
  });
  try {
    await waitFor(name, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
      return portAnswers(probeUrl);
    });
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { endpoint, stop: () => stopChild(child) };
}

async function portAnswers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

/**
 * DynamoDB Local: the official jar that amplify-dynamodb-simulator ships, run on the machine's
 * Java. `dataDir` keeps state across restarts; without it the database is in memory.
 */
export async function startDynamoDbLocal(port: number, dataDir?: string): Promise<RunningEmulator> {
  const emulatorDir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const storage = dataDir ? ['-sharedDb', '-dbPath', dataDir] : ['-sharedDb', '-inMemory'];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const args = [
    `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
    '-Xmx512m',
    '-jar',
    join(emulatorDir, 'DynamoDBLocal.jar'),
    ...storage,
    // No usage reports from test runs and developer machines.
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const endpoint = `http://127.0.0.1:${port}`;
  // It writes a metadata file into its working directory: keep that out of the repository.
  return spawnEmulator('DynamoDB Local', 'java', args, { cwd: dataDir ?? tmpdir() }, endpoint, endpoint);
}

/** s3rver with the bucket created and CORS configured; `onEvent` receives S3 notification events. */
export async function startS3rver(options: {
  port: number;
  directory: string;
  bucket: string;
  corsXml: string;
  onEvent: (event: { Records: unknown[] }) => void;
}): Promise<RunningEmulator> {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [options.corsXml] }],
  });
  // s3rver is a Koa app and so an EventEmitter; its type package leaves that out.
  (server as unknown as EventEmitter).on('event', options.onEvent);
  await server.run();
  return { endpoint: `http://127.0.0.1:${options.port}`, stop: async () => void (await server.close()) };
}

/** cognito-local, whose state lives in `<directory>/.cognito`. */
export async function startCognitoLocal(port: number, directory: string): Promise<RunningEmulator> {
  // cognito-local defaults to e-mail usernames; the stack's pool uses plain usernames.
  mkdirSync(join(directory, '.cognito'), { recursive: true });
  const config = join(directory, '.cognito', 'config.json');
  if (!existsSync(config)) writeFileSync(config, JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const bin = join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  const endpoint = `http://127.0.0.1:${port}`;
  const options = { cwd: directory, env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', NODE_OPTIONS: '' } };
  return spawnEmulator('cognito-local', process.execPath, [bin], options, endpoint, `${endpoint}/health`);
}
