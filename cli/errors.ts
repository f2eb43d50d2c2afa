/** The CLI's exit codes (docs/cli.md lists them): scripts can tell a refused upload from a typo. */
export const EXIT = {
  ok: 0,
  /** An unexpected failure (a bug, or an answer the CLI does not understand). */
  server: 1,
  /** A wrong command, option or value (also a 400 from the server). */
  usage: 2,
  /** Not signed in, the token expired or was revoked (401), or not allowed (403). */
  auth: 3,
  /** The app, release or artifact does not exist (404). */
  notFound: 4,
  /** Refused because of the current state (409): a duplicate version, publishing an unverified release. */
  conflict: 5,
  /** The server verified an upload and refused it (bad signature, size or hash). */
  rejected: 6,
  /** Waiting for verification took longer than --wait. */
  timeout: 7,
  /** The server could not be reached. */
  network: 8,
  /** Interrupted (Ctrl+C): a multipart upload resumes when the same command runs again. */
  interrupted: 130,
} as const;

/** An error the CLI reports as one line plus what to do, with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly hint?: string,
    readonly status?: number,
  ) {
    super(message);
  }
}
