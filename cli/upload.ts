import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { join, resolve } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { AnswerOf, ApiClient } from './api.js';
import { configDir, writePrivate } from './config.js';
import { CliError, EXIT } from './errors.js';
import type { FileProgress, Progress } from './progress.js';

/** One file to upload as an artifact of a release. */
export interface UploadSpec {
  file: string;
  target: string;
  arch: string;
  package?: string;
  /** The minisign signature (the `.sig` file's text), for Tauri bundles. */
  signature?: string;
  /** A delta package (Sparkle `delta`, Velopack `delta.nupkg`): the version it applies to. */
  deltaFrom?: string;
  /** Sparkle's EdDSA signature of the file (`sign_update`'s output), for Sparkle archives and deltas. */
  edSignature?: string;
}

export interface UploadSettings {
  client: ApiClient;
  appId: string;
  releaseId: string;
  /** Files of at least this many bytes go in parts (resumable). */
  multipartFrom: number;
  /** Parts in flight at once. */
  concurrency: number;
  /** Bytes per second across all transfers (like curl's --limit-rate); 0 for no limit. */
  limitRate: number;
  /** How long to wait for the server's verification, in ms; 0 to not wait. */
  waitMs: number;
  progress: Progress;
}

export type Artifact = AnswerOf<'GetArtifact'>;

export interface UploadResult {
  file: string;
  artifact_id: string;
  target: string;
  arch: string;
  package: string;
  bytes: number;
  mode: 'single' | 'multipart';
  parts: number;
  /** Parts found on the server from an interrupted run. */
  resumed_parts: number;
  /** Bytes sent by this run, and how long the transfer took. */
  sent_bytes: number;
  seconds: number;
  status: Artifact['status'];
  reason: string | null;
  sha256: string;
}

/** What survives an interruption of a multipart upload: enough to ask the server for the missing parts. */
interface MultipartState {
  artifact_id: string;
  upload_id: string;
  part_size: number;
  part_count: number;
  etags: Record<string, string>;
}

/** One shared limit for every transfer of a run. */
class RateLimit {
  private readonly start = Date.now();
  private sent = 0;
  constructor(private readonly bytesPerSecond: number) {}

  async take(bytes: number): Promise<void> {
    if (this.bytesPerSecond <= 0) return;
    this.sent += bytes;
    const due = this.start + (this.sent / this.bytesPerSecond) * 1000;
    const wait = due - Date.now();
    if (wait > 0) await new Promise((done) => setTimeout(done, wait));
  }
}

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/** PUTs bytes [start, end) of a file to a presigned URL; answers the ETag. */
function putRange(url: string, file: string, start: number, end: number, limit: RateLimit, progress: FileProgress): Promise<string> {
  return new Promise((resolvePut, reject) => {
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(target, { method: 'PUT', headers: { 'content-length': String(end - start) } }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => {
        if ((res.statusCode ?? 0) >= 300)
          reject(
            new CliError(`Storage refused the upload: ${res.statusCode} ${text.slice(0, 300)}`, EXIT.server, 'run the same command again'),
          );
        else resolvePut(String(res.headers.etag ?? '').replace(/"/g, ''));
      });
    });
    req.on('error', reject);
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        limit.take(chunk.length).then(() => {
          progress.add(chunk.length);
          callback(null, chunk);
        }, callback);
      },
    });
    if (end === start) {
      req.end();
      return;
    }
    pipeline(createReadStream(file, { start, end: end - 1 }), meter, req).catch(reject);
  });
}

/** Runs `work` over items, at most `limit` at a time. */
async function eachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(runners);
}

/** The state file of a file's multipart upload to one release (same file, size and time = same upload). */
function stateFileOf(settings: UploadSettings, spec: UploadSpec, size: number, mtime: number): string {
  const identity = [
    settings.client.baseUrl,
    settings.appId,
    settings.releaseId,
    resolve(spec.file),
    size,
    mtime,
    spec.target,
    spec.arch,
    spec.package ?? '',
  ];
  const name = createHash('sha256').update(identity.join('\n')).digest('hex').slice(0, 32);
  return join(configDir(), 'uploads', `${name}.json`);
}

function readState(file: string): MultipartState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as MultipartState;
  } catch {
    return undefined;
  }
}

/** Uploads one file as an artifact (one PUT, or resumable parts), then waits for the server's verdict. */
export async function uploadArtifact(spec: UploadSpec, settings: UploadSettings): Promise<UploadResult> {
  const { client } = settings;
  const { size, mtimeMs } = statSync(spec.file);
  const name = spec.file.split(/[\\/]/).pop() ?? spec.file;
  const sha256 = await sha256Of(spec.file);
  const progress = settings.progress.file(name, size);
  const limit = new RateLimit(settings.limitRate);
  const releasePath = { app_id: settings.appId, release_id: settings.releaseId };
  const multipart = size >= settings.multipartFrom;
  const stateFile = stateFileOf(settings, spec, size, Math.floor(mtimeMs));
  let state = multipart ? readState(stateFile) : undefined;
  let resumed = 0;
  let skippedBytes = 0;
  let artifactId: string;
  let parts = 1;
  const started = Date.now();

  const declare = () =>
    client.call('CreateArtifactUpload', {
      params: releasePath,
      body: {
        target: spec.target,
        arch: spec.arch,
        ...(spec.package ? { package: spec.package } : {}),
        file_size: size,
        sha256,
        ...(spec.signature ? { signature: spec.signature } : {}),
        ...(spec.deltaFrom ? { delta_from: spec.deltaFrom } : {}),
        ...(spec.edSignature ? { ed_signature: spec.edSignature } : {}),
        ...(multipart ? { multipart: true } : {}),
      },
    });

  if (!multipart) {
    const slot = await declare();
    artifactId = slot.artifact_id;
    if (!slot.upload_url) throw new CliError('The server gave no upload URL', EXIT.server, 'update the CLI');
    await putRange(slot.upload_url, spec.file, 0, size, limit, progress);
  } else {
    // Resume: the server lists the parts storage already holds, and signs fresh URLs for the rest.
    let first: AnswerOf<'UploadParts'> | undefined;
    if (state) {
      const missing = Array.from({ length: state.part_count }, (_, i) => i + 1).filter((n) => !state?.etags[n]);
      try {
        first = await client.call('UploadParts', {
          params: { ...releasePath, artifact_id: state.artifact_id },
          body: { upload_id: state.upload_id, part_numbers: missing.slice(0, 100) },
        });
      } catch (error) {
        // The upload is gone (aborted, expired, or the artifact was verified or deleted): start over.
        if (!(error instanceof CliError) || (error.status !== 404 && error.status !== 409 && error.status !== 400)) throw error;
        state = undefined;
        rmSync(stateFile, { force: true });
      }
    }
    if (!state) {
      const slot = await declare();
      const mp = slot.multipart;
      if (!mp) throw new CliError('The server did not open a multipart upload', EXIT.server, 'update the CLI');
      state = { artifact_id: slot.artifact_id, upload_id: mp.upload_id, part_size: mp.part_size, part_count: mp.part_count, etags: {} };
      first = mp;
      writePrivate(stateFile, JSON.stringify(state));
    }
    const current = state;
    artifactId = current.artifact_id;
    parts = current.part_count;
    const partSize = (n: number) => (n < current.part_count ? current.part_size : size - current.part_size * (current.part_count - 1));
    // What storage holds wins over the state file (a part may have landed just before the interruption).
    for (const part of first?.uploaded ?? []) {
      if (part.size === partSize(part.part_number)) current.etags[part.part_number] = part.etag.replace(/"/g, '');
    }
    const missing = Array.from({ length: current.part_count }, (_, i) => i + 1).filter((n) => !current.etags[n]);
    resumed = current.part_count - missing.length;
    for (let n = 1; n <= current.part_count; n++) if (current.etags[n]) skippedBytes += partSize(n);
    progress.skip(skippedBytes);
    if (resumed > 0) progress.note(`resumed: ${resumed}/${current.part_count} parts were already uploaded`);
    writePrivate(stateFile, JSON.stringify(current));

    const urls = new Map((first?.parts ?? []).map((p) => [p.part_number, p.upload_url]));
    for (let i = 0; i < missing.length; i += 100) {
      const batch = missing.slice(i, i + 100);
      if (batch.some((n) => !urls.has(n))) {
        const more = await client.call('UploadParts', {
          params: { ...releasePath, artifact_id: artifactId },
          body: { upload_id: current.upload_id, part_numbers: batch },
        });
        for (const p of more.parts) urls.set(p.part_number, p.upload_url);
      }
      // A part that fails (a dropped connection, an expired URL) is sent again with a fresh URL, twice at most.
      const putPart = async (n: number): Promise<string> => {
        const start = (n - 1) * current.part_size;
        for (let attempt = 1; ; attempt++) {
          try {
            return await putRange(urls.get(n) as string, spec.file, start, start + partSize(n), limit, progress);
          } catch (error) {
            if (attempt >= 3) throw error;
            await new Promise((done) => setTimeout(done, 500 * attempt));
            const fresh = await client.call('UploadParts', {
              params: { ...releasePath, artifact_id: artifactId },
              body: { upload_id: current.upload_id, part_numbers: [n] },
            });
            for (const p of fresh.parts) urls.set(p.part_number, p.upload_url);
          }
        }
      };
      await eachLimited(batch, settings.concurrency, async (n) => {
        const etag = await putPart(n);
        current.etags[n] = etag;
        writePrivate(stateFile, JSON.stringify(current));
      });
    }
    await client.call('CompleteUpload', {
      params: { ...releasePath, artifact_id: artifactId },
      body: {
        upload_id: current.upload_id,
        parts: Object.entries(current.etags)
          .map(([n, etag]) => ({ part_number: Number(n), etag }))
          .sort((a, b) => a.part_number - b.part_number),
      },
    });
    rmSync(stateFile, { force: true });
  }
  const seconds = (Date.now() - started) / 1000;

  progress.note(settings.waitMs > 0 ? 'verifying…' : 'uploaded');
  const artifact =
    settings.waitMs > 0 ? await waitForVerdict(client, { ...releasePath, artifact_id: artifactId }, settings.waitMs) : undefined;
  progress.note(artifact ? artifact.status : 'uploaded (not waiting)');
  progress.done();
  return {
    file: spec.file,
    artifact_id: artifactId,
    target: spec.target,
    arch: spec.arch,
    package: artifact?.package ?? spec.package ?? '',
    bytes: size,
    mode: multipart ? 'multipart' : 'single',
    parts,
    resumed_parts: resumed,
    sent_bytes: size - skippedBytes,
    seconds,
    status: artifact?.status ?? 'pending',
    reason: artifact?.reason ?? null,
    sha256,
  };
}

/** Polls the artifact until the server has verified or refused it. */
export async function waitForVerdict(client: ApiClient, params: Record<string, string>, waitMs: number): Promise<Artifact> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const artifact = await client.call('GetArtifact', { params });
    if (artifact.status !== 'pending') return artifact;
    if (Date.now() > deadline) {
      throw new CliError(
        `Artifact ${params.artifact_id} is still being verified after ${Math.round(waitMs / 1000)} s`,
        EXIT.timeout,
        'check it later with ota status, or pass a longer --wait',
      );
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}
