/**
 * Uploads a dropped file as an artifact of a release, with the API's upload routes (as the CLI's
 * `ota upload` does): one presigned PUT, or presigned parts for large files, completed with their
 * ETags; then the server verifies the bytes on its own and the caller polls the artifact.
 * XMLHttpRequest, not fetch: only it reports upload progress.
 */
import type { Api, Artifact } from './api.js';

/** Files of at least this many bytes go in parts (the CLI's default too). */
export const MULTIPART_FROM = 64 * 1024 * 1024;
/** Files up to this size get a SHA-256 computed here (the server checks it); larger ones would be read into memory whole. */
const HASH_UP_TO = 256 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

export interface UploadTarget {
  appId: string;
  releaseId: string;
  target: string;
  arch: string;
  package?: string;
  /** The minisign signature (a Tauri bundle's `.sig` text). */
  signature?: string;
}

export interface UploadEvents {
  /** Bytes sent so far, of the file's size. */
  progress: (sent: number, total: number) => void;
}

/** PUTs a body to a presigned URL; answers the ETag. */
function put(url: string, body: Blob, onProgress: (sent: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => {
      if (xhr.status >= 300) reject(new Error(`Storage refused the upload: ${xhr.status}`));
      else {
        onProgress(body.size);
        resolve((xhr.getResponseHeader('etag') ?? '').replace(/"/g, ''));
      }
    };
    xhr.onerror = () => reject(new Error('The upload failed (network)'));
    xhr.send(body);
  });
}

async function sha256Of(file: File): Promise<string | undefined> {
  if (file.size > HASH_UP_TO || !crypto.subtle) return undefined;
  const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Uploads a file; answers the artifact id once the storage has every byte (verification runs after). */
export async function uploadFile(api: Api, file: File, to: UploadTarget, events: UploadEvents): Promise<string> {
  const params = { app_id: to.appId, release_id: to.releaseId };
  const multipart = file.size >= MULTIPART_FROM;
  const sha256 = await sha256Of(file);
  const slot = await api.call('CreateArtifactUpload', {
    params,
    body: {
      target: to.target,
      arch: to.arch,
      file_size: file.size,
      ...(to.package ? { package: to.package } : {}),
      ...(to.signature ? { signature: to.signature } : {}),
      ...(sha256 ? { sha256 } : {}),
      ...(multipart ? { multipart: true } : {}),
    },
  });
  if (!multipart) {
    if (!slot.upload_url) throw new Error('The server gave no upload URL');
    await put(slot.upload_url, file, (sent) => events.progress(sent, file.size));
    return slot.artifact_id;
  }
  const mp = slot.multipart;
  if (!mp) throw new Error('The server did not open a multipart upload');
  const artifact = { ...params, artifact_id: slot.artifact_id };
  const urls = new Map(mp.parts.map((p) => [p.part_number, p.upload_url]));
  const sent = new Map<number, number>();
  const report = () =>
    events.progress(
      [...sent.values()].reduce((a, b) => a + b, 0),
      file.size,
    );
  const etags: { part_number: number; etag: string }[] = [];
  const numbers = Array.from({ length: mp.part_count }, (_, i) => i + 1);
  for (let i = 0; i < numbers.length; i += 100) {
    const batch = numbers.slice(i, i + 100);
    if (batch.some((n) => !urls.has(n))) {
      const more = await api.call('UploadParts', { params: artifact, body: { upload_id: mp.upload_id, part_numbers: batch } });
      for (const p of more.parts) urls.set(p.part_number, p.upload_url);
    }
    let next = 0;
    const worker = async () => {
      while (next < batch.length) {
        const n = batch[next++] as number;
        const start = (n - 1) * mp.part_size;
        const etag = await put(urls.get(n) as string, file.slice(start, Math.min(start + mp.part_size, file.size)), (bytes) => {
          sent.set(n, bytes);
          report();
        });
        etags.push({ part_number: n, etag });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARTS_IN_FLIGHT, batch.length) }, worker));
  }
  etags.sort((a, b) => a.part_number - b.part_number);
  await api.call('CompleteUpload', { params: artifact, body: { upload_id: mp.upload_id, parts: etags } });
  return slot.artifact_id;
}

/** Polls an artifact until the server has verified or refused it; `onChange` sees each state. */
export async function watchVerification(
  api: Api,
  params: { app_id: string; release_id: string; artifact_id: string },
  onChange: (artifact: Artifact) => void,
  signal: AbortSignal,
): Promise<Artifact | undefined> {
  for (let delay = 300; !signal.aborted; delay = Math.min(delay * 1.5, 3000)) {
    const artifact = await api.call('GetArtifact', { params });
    onChange(artifact);
    if (artifact.status !== 'pending') return artifact;
    await new Promise((done) => setTimeout(done, delay));
  }
  return undefined;
}
