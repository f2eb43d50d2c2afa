import { connect, createServer } from 'node:net';

const LOOPBACK = '127.0.0.1';

/** A TCP port that is free on 127.0.0.1 right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Whether nothing serves 127.0.0.1:`port` and it can be bound. Both are checked: on macOS a
 * wildcard listener does not stop a bind to 127.0.0.1, but it does answer a connection.
 */
export async function portIsFree(port: number): Promise<boolean> {
  const answers = await new Promise<boolean>((resolve) => {
    const socket = connect({ host: LOOPBACK, port });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1_000);
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
  if (answers) return false;
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, LOOPBACK, () => server.close(() => resolve(true)));
  });
}

/** Throws a message that says which service could not have its port. */
export async function assertPortFree(name: string, port: number): Promise<void> {
  if (!(await portIsFree(port))) {
    throw new Error(`${name}: port ${port} on ${LOOPBACK} is in use by another process; stop it or choose another port`);
  }
}

const PREVIOUS_PORT_GRACE_MS = 3_000;

/**
 * The port for a service: the one the user fixed (which must be free: no silent substitute), else
 * the previous run's while it is free (tokens and links name it), else any free one.
 */
export async function choosePort(name: string, choice: { fixed?: number | undefined; previous?: number | undefined }): Promise<number> {
  if (choice.fixed) {
    await assertPortFree(name, choice.fixed);
    return choice.fixed;
  }
  if (choice.previous) {
    // A moment's grace: an orphan of the previous run stopped just now may still be releasing it.
    const deadline = Date.now() + PREVIOUS_PORT_GRACE_MS;
    for (;;) {
      if (await portIsFree(choice.previous)) return choice.previous;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const port = await freePort();
    console.warn(`${name}: port ${choice.previous} of the previous run is in use by another process; using ${port}`);
    return port;
  }
  return freePort();
}

/** Polls `probe` until it resolves true or the deadline passes. */
export async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await probe()) return;
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${what} did not become ready in ${timeoutMs} ms${lastError ? `: ${String(lastError)}` : ''}`);
}
