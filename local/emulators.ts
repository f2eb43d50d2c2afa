import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { EventEmitter } from 'node:events';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import S3rver from 's3rver';
import { assertPortFree, waitFor } from './ports.js';
import { completeMultipartLikeS3 } from './s3rver-multipart.js';

const require = createRequire(import.meta.url);
const LOOPBACK = '127.0.0.1';

export interface RunningEmulator {
  endpoint: string;
  stop(): Promise<void>;
}

/** Where an emulator process is recorded, so that the next start can stop it if this run dies. */
export interface Supervision {
  /** Folder of the pid files (the stack's state directory); without it nothing is recorded. */
  pidDir?: string;
}

/** A pid file's content: the emulator, the process that started it, and the mark in its command line. */
interface PidRecord {
  pid: number;
  owner: number;
  tag: string;
}

const PID_FILE_SUFFIX = '.pid';

function pidFileOf(pidDir: string, id: string): string {
  return join(pidDir, `${id}${PID_FILE_SUFFIX}`);
}

/** A mark put on the emulator's command line: a process whose command line lacks it is not ours. */
function tagOf(id: string, pidDir: string | undefined): string {
  return `ota-local-emulator=${id}@${pidDir ? resolve(pidDir) : '-'}`;
}

interface ProcessInfo {
  ppid: number;
  state: string;
  command: string;
}

/** A process's parent, state and command line (from /proc, else `ps`); undefined when there is none. */
function processInfo(pid: number): ProcessInfo | undefined {
  try {
    if (existsSync('/proc/self/stat')) {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name in parentheses may itself contain spaces and parentheses.
      const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
      return { ppid: Number(ppid), state, command };
    }
    const line = execFileSync('ps', ['-ww', '-o', 'stat=,ppid=,command=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    const match = /^(\S+)\s+(\d+)\s+(.*)$/s.exec(line);
    return match ? { state: match[1] ?? '', ppid: Number(match[2]), command: match[3] ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

function isGone(info: ProcessInfo | undefined): boolean {
  return !info || info.state.startsWith('Z');
}

function readRecord(path: string): PidRecord | undefined {
  try {
    const { pid, owner, tag }: Record<string, unknown> = JSON.parse(readFileSync(path, 'utf8'));
    return typeof pid === 'number' && typeof owner === 'number' && typeof tag === 'string' ? { pid, owner, tag } : undefined;
  } catch {
    return undefined;
  }
}

/** SIGTERM (and SIGCONT, should it be stopped), then SIGKILL; resolves once the process is gone. */
async function terminate(pid: number): Promise<void> {
  for (const [signal, graceMs] of [
    ['SIGTERM', 5_000],
    ['SIGKILL', 2_000],
  ] as const) {
    try {
      process.kill(pid, signal);
      process.kill(pid, 'SIGCONT');
    } catch {
      return;
    }
    const deadline = Date.now() + graceMs;
    while (Date.now() < deadline) {
      if (isGone(processInfo(pid))) return;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`Could not stop the orphaned emulator process ${pid}`);
}

/**
 * Stops the emulators a run that died left behind in `pidDir` (alive, and by their command line
 * really ours), so they neither hold the ports nor answer for the new ones. Refuses while they
 * still belong to a live run.
 */
export async function stopOrphanedEmulators(pidDir: string): Promise<void> {
  if (!existsSync(pidDir)) return;
  for (const file of readdirSync(pidDir).filter((name) => name.endsWith(PID_FILE_SUFFIX))) {
    const path = join(pidDir, file);
    const record = readRecord(path);
    const info = record && processInfo(record.pid);
    if (record && info && !isGone(info) && info.command.includes(record.tag)) {
      // Still the child of the run that started it: that run is alive (an orphan has a new parent).
      if (info.ppid === record.owner) {
        throw new Error(`Another local stack (process ${record.owner}) is running with its state in ${pidDir}; stop it first`);
      }
      await terminate(record.pid);
    }
    rmSync(path, { force: true });
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
  });
}

interface EmulatorProcess {
  /** File-name-safe id (pid file, command-line mark). */
  id: string;
  name: string;
  command: string;
  /** The arguments, given the mark that has to appear among them. */
  args: (tag: string) => string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  port: number;
  endpoint: string;
  probeUrl: string;
  /** What the emulator prints once it listens: then readiness cannot come from another process. */
  readyLine?: string;
}

/**
 * Starts an emulator process on a port checked to be free and waits until it is ready; stops it
 * again if it never is. Its standard input stays open and silent: the emulators exit when it
 * closes, which it does when this process dies, however it dies. A pid file lets the next start
 * stop it should that fail.
 */
async function spawnEmulator(spec: EmulatorProcess, supervision: Supervision): Promise<RunningEmulator> {
  await assertPortFree(spec.name, spec.port);
  const tag = tagOf(spec.id, supervision.pidDir);
  const child = spawn(spec.command, spec.args(tag), { cwd: spec.cwd, env: spec.env, stdio: ['pipe', 'pipe', 'pipe'] });
  child.stdin?.on('error', () => {});
  let output = '';
  let announced = false;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4_000);
    if (spec.readyLine && output.includes(spec.readyLine)) announced = true;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const failed = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new Error(`${spec.name} could not start: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(`${spec.name} exited (${signal ?? code}): ${output}`)));
  });
  failed.catch(() => {});

  const pid = child.pid;
  const pidFile = supervision.pidDir && pid ? pidFileOf(supervision.pidDir, spec.id) : undefined;
  if (pidFile && pid) writeFileSync(pidFile, JSON.stringify({ pid, owner: process.pid, tag } satisfies PidRecord), { mode: 0o600 });
  // Covers an exit of this process that skips stop(): an uncaught exception, process.exit().
  const killOnExit = () => child.kill('SIGTERM');
  process.on('exit', killOnExit);
  const stop = async () => {
    process.off('exit', killOnExit);
    await stopChild(child);
    if (pidFile) rmSync(pidFile, { force: true });
  };

  try {
    await Promise.race([failed, waitFor(spec.name, async () => (!spec.readyLine || announced) && portAnswers(spec.probeUrl))]);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint: spec.endpoint, stop };
}

async function portAnswers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(1_000) });
    return true;
  } catch {
    return false;
  }
}

const LAUNCHER_SOURCE = join(import.meta.dirname, 'dynamodb-local-loopback.java');
const LAUNCHER_CLASS = 'DynamoDbLocalLoopback';
const CACHE_DIR = join(import.meta.dirname, '..', 'node_modules', '.cache', 'ota-local');

/**
 * The loopback launcher (`dynamodb-local-loopback.java`) compiled against `jar`, cached in
 * node_modules/.cache; undefined, with a warning, when no JDK compiler can build it.
 */
async function loopbackLauncher(jar: string): Promise<string | undefined> {
  const jarStat = statSync(jar);
  const hash = createHash('sha256')
    .update(readFileSync(LAUNCHER_SOURCE))
    .update(`${jar}:${jarStat.size}:${jarStat.mtimeMs}`)
    .digest('hex')
    .slice(0, 16);
  const dir = join(CACHE_DIR, `dynamodb-local-loopback-${hash}`);
  const compiled = () => existsSync(join(dir, `${LAUNCHER_CLASS}.class`));
  if (compiled()) return dir;
  mkdirSync(CACHE_DIR, { recursive: true });
  const staging = mkdtempSync(join(CACHE_DIR, 'staging-'));
  try {
    // Java 8 class files: whatever Java runs DynamoDB Local can load them.
    await promisify(execFile)('javac', ['--release', '8', '-Xlint:-options', '-cp', jar, '-d', staging, LAUNCHER_SOURCE]);
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // A concurrent start may have won the rename.
    if (compiled()) return dir;
    console.warn(
      `DynamoDB Local will listen on all network interfaces, not only ${LOOPBACK}: the loopback launcher ` +
        `(local/dynamodb-local-loopback.java) needs a JDK compiler (javac) and could not be built: ${String(error).split('\n')[0]}`,
    );
    return undefined;
  }
  return dir;
}

/**
 * DynamoDB Local: the official jar that amplify-dynamodb-simulator ships, run on the machine's
 * Java, listening on 127.0.0.1 only (through the loopback launcher). `dataDir` keeps state across
 * restarts; without it the database is in memory.
 */
export async function startDynamoDbLocal(port: number, dataDir?: string, supervision: Supervision = {}): Promise<RunningEmulator> {
  const emulatorDir = join(dirname(require.resolve('amplify-dynamodb-simulator/package.json')), 'emulator');
  const jar = join(emulatorDir, 'DynamoDBLocal.jar');
  const storage = dataDir ? ['-sharedDb', '-dbPath', dataDir] : ['-sharedDb', '-inMemory'];
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const launcher = await loopbackLauncher(jar);
  const endpoint = `http://${LOOPBACK}:${port}`;
  return spawnEmulator(
    {
      id: 'dynamodb-local',
      name: 'DynamoDB Local',
      command: 'java',
      args: (tag) => [
        `-Djava.library.path=${join(emulatorDir, 'DynamoDBLocal_lib')}`,
        '-Xmx512m',
        `-Dota.local.emulator=${tag}`,
        ...(launcher ? ['-cp', `${launcher}${delimiter}${jar}`, LAUNCHER_CLASS] : ['-jar', jar]),
        ...storage,
        // No usage reports from test runs and developer machines (the variable covers the launcher).
        '-disableTelemetry',
        '-port',
        String(port),
      ],
      // It writes a metadata file into its working directory: keep that out of the repository.
      cwd: dataDir ?? tmpdir(),
      env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
      port,
      endpoint,
      probeUrl: endpoint,
      ...(launcher ? { readyLine: `listening on ${LOOPBACK}:${port}` } : {}),
    },
    supervision,
  );
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
    address: LOOPBACK,
    directory: options.directory,
    silent: true,
    vhostBuckets: false,
    configureBuckets: [{ name: options.bucket, configs: [options.corsXml] }],
  });
  // s3rver is a Koa app and so an EventEmitter; its type package leaves that out.
  (server as unknown as EventEmitter).on('event', options.onEvent);
  completeMultipartLikeS3(server);
  await server.run();
  return { endpoint: `http://${LOOPBACK}:${options.port}`, stop: async () => void (await server.close()) };
}

/** Runs cognito-local's entry point, exiting when standard input closes (the parent is gone). */
const COGNITO_WITH_LIFELINE =
  "process.stdin.on('end', () => process.exit(0)).on('error', () => process.exit(0)).resume(); require(process.argv[1]);";

/** cognito-local, whose state lives in `<directory>/.cognito`. */
export async function startCognitoLocal(port: number, directory: string, supervision: Supervision = {}): Promise<RunningEmulator> {
  // cognito-local defaults to e-mail usernames; the stack's pool uses plain usernames.
  mkdirSync(join(directory, '.cognito'), { recursive: true });
  const config = join(directory, '.cognito', 'config.json');
  if (!existsSync(config)) writeFileSync(config, JSON.stringify({ UserPoolDefaults: { UsernameAttributes: [] } }));
  const bin = join(dirname(require.resolve('cognito-local/package.json')), 'lib', 'bin', 'start.js');
  const endpoint = `http://${LOOPBACK}:${port}`;
  return spawnEmulator(
    {
      id: 'cognito-local',
      name: 'cognito-local',
      command: process.execPath,
      args: (tag) => ['-e', COGNITO_WITH_LIFELINE, bin, tag],
      cwd: directory,
      env: { ...process.env, PORT: String(port), HOST: LOOPBACK, NODE_OPTIONS: '' },
      port,
      endpoint,
      probeUrl: `${endpoint}/health`,
      readyLine: `Cognito Local running on ${endpoint}`,
    },
    supervision,
  );
}
