import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startDynamoDbLocal } from '../../local/emulators.js';
import { freePort, waitFor } from '../../local/ports.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../local/provision.js';
import { type StackInfo, startLocalStack } from '../../local/stack.js';
import { createPublishedApp, LocalService, publishRelease } from '../support/local-service.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** `npm start` in another process (in-memory DynamoDB): resolves once the stack is up. */
async function startStackProcess(stateDir: string): Promise<{ child: ChildProcess; info: StackInfo }> {
  const stack = pathToFileURL(join(ROOT, 'local', 'stack.ts')).href;
  const script = `import { startLocalStack } from ${JSON.stringify(stack)};
    const stack = await startLocalStack({ stateDir: process.argv[1], port: 0, inMemoryDynamoDb: true });
    console.log('READY ' + JSON.stringify(stack.info));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, stateDir], {
    cwd: ROOT,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const info = await new Promise<StackInfo>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const ready = /^READY (.*)$/m.exec(output);
      if (ready?.[1]) resolve(JSON.parse(ready[1]) as StackInfo);
    });
    child.once('exit', (code) => reject(new Error(`stack process exited with ${code}: ${output}`)));
  });
  return { child, info };
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** Whether anything answers HTTP at `url`. */
async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The emulator process the stack recorded in its state directory. */
function recordedPid(stateDir: string, emulator: string): number {
  return (JSON.parse(readFileSync(join(stateDir, `${emulator}.pid`), 'utf8')) as { pid: number }).pid;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** An HTTP server of another program on a free port, answering like a service would. */
async function foreignServer(): Promise<{ port: number; close(): Promise<void> }> {
  const server = createHttpServer((_, response) => response.end('{"not":"dynamodb"}'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe('the local stack', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'ota-persist-'));
  after(() => rmSync(stateDir, { recursive: true, force: true }));

  it('writes stack.json and keeps apps, releases, artifacts and users across a restart', async () => {
    const first = await LocalService.start({ stateDir });
    let releaseId: string;
    try {
      const info = JSON.parse(readFileSync(join(stateDir, 'stack.json'), 'utf8')) as StackInfo;
      assert.equal(info.apiUrl, first.url);
      assert.equal(info.region, 'us-east-1');
      assert.ok(info.cognito.endpoint && info.cognito.userPoolId && info.cognito.clientId);
      assert.ok(info.admin.username && info.admin.password);
      const token = await first.adminToken();
      const appId = await createPublishedApp(first, token, 'persistent-app');
      ({ releaseId } = await publishRelease(first, token, appId, { version: '4.0.0', bytes: randomBytes(64) }));
    } finally {
      await first.stop();
    }

    const second = await LocalService.start({ stateDir });
    try {
      const check = await second.request('GET', '/api/sync/ota/persistent-app/darwin/aarch64/3.0.0');
      assert.equal(check.status, 200);
      assert.equal(check.json.version, '4.0.0');
      const download = await second.request('GET', `/api/sync/ota/persistent-app/download/${releaseId}/darwin/aarch64`);
      const file = await fetch(download.headers.get('location') as string);
      assert.equal(file.status, 200);
      // The same admin signs in again: the user pool survived too.
      const apps = await second.request('GET', '/api/sync/ota/apps', { token: await second.adminToken() });
      assert.deepEqual(
        apps.json.apps.map((a: { slug: string }) => a.slug),
        ['persistent-app'],
      );
    } finally {
      await second.stop();
    }
  });
});

describe('the local stack after a crash', () => {
  const stateDirs: string[] = [];
  const newStateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ota-crash-'));
    stateDirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves no emulator running when its process is killed outright', async () => {
    const { child, info } = await startStackProcess(newStateDir());
    try {
      assert.ok(await answers(info.dynamoDbEndpoint));
      assert.ok(await answers(`${info.cognito.endpoint}/health`));
    } finally {
      await kill(child);
    }
    await waitFor(
      'the emulators of the killed stack to stop',
      async () => !(await answers(info.dynamoDbEndpoint)) && !(await answers(`${info.cognito.endpoint}/health`)),
      15_000,
    );
  });

  it('stops an orphan that outlived its run before starting, instead of taking its answers', async () => {
    const stateDir = newStateDir();
    const crashed = await startStackProcess(stateDir);
    // A frozen DynamoDB Local cannot notice that its parent died: it stays, holding the port.
    const orphan = recordedPid(stateDir, 'dynamodb-local');
    process.kill(orphan, 'SIGSTOP');
    await kill(crashed.child);
    assert.ok(isRunning(orphan));

    const service = await LocalService.start({ stateDir });
    try {
      await waitFor('the orphan to be gone', async () => !isRunning(orphan), 5_000);
      // The previous run's port, now served by a DynamoDB Local of this run.
      assert.equal(service.stack.info.dynamoDbEndpoint, crashed.info.dynamoDbEndpoint);
      const db = new DynamoDBClient({
        endpoint: service.stack.info.dynamoDbEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      });
      assert.deepEqual((await db.send(new ListTablesCommand({}))).TableNames, [service.stack.info.tableName]);
      db.destroy();
      assert.equal((await service.request('GET', '/health')).status, 200);
    } finally {
      if (isRunning(orphan)) process.kill(orphan, 'SIGKILL');
      await service.stop();
    }
  });

  it('refuses to start a second stack on a state directory in use', async () => {
    const stateDir = newStateDir();
    const first = await LocalService.start({ stateDir });
    try {
      await assert.rejects(startLocalStack({ stateDir, port: 0 }), /Another local stack .* is running/);
      assert.equal((await first.request('GET', '/health')).status, 200);
    } finally {
      await first.stop();
    }
  });
});

describe('the local stack beside other programs', () => {
  const stateDirs: string[] = [];
  const newStateDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'ota-ports-'));
    stateDirs.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('fails clearly when a port the user fixed is taken by another program', async () => {
    const other = await foreignServer();
    try {
      await assert.rejects(
        startLocalStack({ stateDir: newStateDir(), port: 0, dynamoDbPort: other.port, inMemoryDynamoDb: true }),
        new RegExp(`DynamoDB Local: port ${other.port} on 127\\.0\\.0\\.1 is in use by another process`),
      );
    } finally {
      await other.close();
    }
  });

  it("moves off the previous run's port when another program took it, leaving that program alone", async () => {
    const other = await foreignServer();
    const stateDir = newStateDir();
    writeFileSync(join(stateDir, 'stack.json'), JSON.stringify({ dynamoDbEndpoint: `http://127.0.0.1:${other.port}` }));
    const warn = console.warn;
    console.warn = () => {};
    try {
      const service = await LocalService.start({ stateDir });
      try {
        assert.notEqual(portOf(service.stack.info.dynamoDbEndpoint), other.port);
        assert.equal((await service.request('GET', '/health')).status, 200);
        assert.ok(await answers(`http://127.0.0.1:${other.port}`));
      } finally {
        await service.stop();
      }
    } finally {
      console.warn = warn;
      await other.close();
    }
  });
});

describe('DynamoDB Local', () => {
  it('listens on 127.0.0.1 only', async (t) => {
    // Addresses of this machine other than 127.0.0.1; 127.0.0.2 reaches loopback on Linux only.
    const elsewhere = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a?.family === 'IPv4' && !a.internal)
      .map((a) => a?.address as string);
    if (process.platform === 'linux') elsewhere.push('127.0.0.2');
    if (elsewhere.length === 0) return t.skip('no address other than 127.0.0.1 to try');
    const dynamo = await startDynamoDbLocal(await freePort());
    try {
      const port = portOf(dynamo.endpoint);
      assert.equal(await connects('127.0.0.1', port), true);
      for (const address of elsewhere) assert.equal(await connects(address, port), false, `reachable on ${address}:${port}`);
    } finally {
      await dynamo.stop();
    }
  });
});

function connects(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}
