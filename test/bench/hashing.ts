import { execFileSync } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { closeSync, createReadStream, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { measureStream } from '../../shared/storage/artifact-store.js';

export interface HashingFigures {
  bytes: number;
  ingestSeconds: number;
  sha256sumSeconds: number;
}

/**
 * Writes a file of `megabytes` (random blocks, so nothing compresses or repeats trivially), then
 * times ingest's one streaming pass (size, SHA-256, SHA-512, SHA-1, BLAKE2b-512) and `sha256sum`
 * on the same file, alternating, best of `runs` each (the file is in the page cache for both).
 */
export async function measureHashing(work: string, megabytes: number, runs = 2): Promise<HashingFigures> {
  const file = join(work, 'artifact.bin');
  const block = Buffer.alloc(8 * 1024 * 1024);
  const fd = openSync(file, 'w');
  try {
    for (let written = 0; written < megabytes * 1024 * 1024; written += block.length) writeSync(fd, randomFillSync(block));
  } finally {
    closeSync(fd);
  }
  let ingestSeconds = Number.POSITIVE_INFINITY;
  let sha256sumSeconds = Number.POSITIVE_INFINITY;
  let bytes = 0;
  for (let run = 0; run < runs; run++) {
    let start = process.hrtime.bigint();
    bytes = (await measureStream(createReadStream(file, { highWaterMark: 1024 * 1024 }))).size;
    ingestSeconds = Math.min(ingestSeconds, Number(process.hrtime.bigint() - start) / 1e9);
    start = process.hrtime.bigint();
    execFileSync('sha256sum', [file], { stdio: 'ignore' });
    sha256sumSeconds = Math.min(sha256sumSeconds, Number(process.hrtime.bigint() - start) / 1e9);
  }
  return { bytes, ingestSeconds, sha256sumSeconds };
}
