import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { StackInfo } from './stack.js';

/**
 * Where `npm start` keeps its state (`.local/` of the checkout, or OTA_LOCAL_DIR), and where
 * `npm run token` and `npm run sample` find the running stack's `stack.json`.
 */
export function localStateDir(): string {
  const chosen = process.env.OTA_LOCAL_DIR;
  return chosen ? resolve(chosen) : join(import.meta.dirname, '..', '.local');
}

/** The running (or last) local stack's endpoints and admin, as `npm start` wrote them. */
export function readStackInfo(): StackInfo {
  const file = join(localStateDir(), 'stack.json');
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as StackInfo;
  } catch {
    throw new Error(`No ${file}: start the local stack first (npm start)`);
  }
}
