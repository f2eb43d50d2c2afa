import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The `ota` command as installed (`bin` of package.json). */
export const OTA = join(import.meta.dirname, '..', '..', 'bin', 'ota.js');

/** What a run of the CLI printed and how it ended (`json`: stdout parsed, when it is JSON). */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** Collects a CLI child's output; `input`, when given, goes to its stdin, which is then closed. */
export function collect(child: ChildProcess, input?: string): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  if (input !== undefined) child.stdin?.end(input);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      let json: unknown;
      try {
        json = JSON.parse(stdout);
      } catch {}
      resolve({ code, stdout, stderr, json });
    }),
  );
}

/** Runs `ota <args>` in `cwd` with `env` (a user's config folder and OTA_* variables), to its end. */
export function runOta(args: readonly string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  return collect(
    spawn(process.execPath, [OTA, ...args], { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] }),
    options.input ?? '',
  );
}
