import { type Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { FuzzRequest } from './requests.js';

export interface Outcome {
  /** Undefined when no answer came (connection error, timeout, or a request Node refused to send). */
  status?: number;
  ms: number;
  /** The start of the answer, kept for 5xx answers (and what `keepBody` asks for). */
  body?: string;
  error?: string;
}

const KEPT_BODY_CHARS = 600;

/**
 * Sends a request exactly as generated (raw target, headers, body; chunked when asked) over a
 * keep-alive agent, and waits for the whole answer.
 */
export function send(
  base: URL,
  agent: Agent,
  req: FuzzRequest,
  timeoutMs: number,
  keepBody = (status: number) => status >= 500,
): Promise<Outcome> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  return new Promise((resolve) => {
    let settled = false;
    const done = (outcome: Omit<Outcome, 'ms'>) => {
      if (settled) return;
      settled = true;
      resolve({ ...outcome, ms: elapsed() });
    };
    const headers: Record<string, string> = { ...req.headers };
    if (req.body && !req.chunked) headers['content-length'] = String(req.body.byteLength);
    // Node frames a body in chunks by default only for methods that usually carry one: say it for GET, DELETE and the rest too.
    if (req.body && req.chunked) headers['transfer-encoding'] = 'chunked';
    let client: ReturnType<typeof request>;
    try {
      client = request({
        host: base.hostname,
        port: base.port,
        method: req.method,
        path: req.target,
        headers,
        agent,
        timeout: timeoutMs,
        // The gateway has to cope with what the service gets; Node's own 16 KB header limit stays in place on its side.
        insecureHTTPParser: false,
      });
    } catch (error) {
      done({ error: `not sent: ${(error as Error).message}` });
      return;
    }
    client.on('response', (response) => {
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let kept = 0;
      response.on('data', (chunk: Buffer) => {
        if (keepBody(status) && kept < KEPT_BODY_CHARS) {
          chunks.push(chunk);
          kept += chunk.length;
        }
      });
      response.on('end', () =>
        done({ status, ...(keepBody(status) ? { body: Buffer.concat(chunks).toString('utf8').slice(0, KEPT_BODY_CHARS) } : {}) }),
      );
      response.on('error', (error) => done({ status, error: error.message }));
    });
    client.on('timeout', () => {
      client.destroy(new Error(`no answer within ${timeoutMs} ms`));
    });
    client.on('error', (error) => done({ error: error.message }));
    if (!req.body) {
      client.end();
    } else if (req.chunked) {
      const half = Math.floor(req.body.byteLength / 2);
      client.write(req.body.subarray(0, half));
      client.end(req.body.subarray(half));
    } else {
      client.end(req.body);
    }
  });
}

/** The request as a curl command line (body shown when it is short text), to replay a failure by hand. */
export function asCurl(base: URL, req: FuzzRequest): string {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const parts = ['curl -i', '-X', req.method, '--path-as-is', quote(`${base.origin}${req.target}`)];
  for (const [name, value] of Object.entries(req.headers)) {
    parts.push('-H', quote(`${name}: ${value.length > 200 ? `${value.slice(0, 200)}…(${value.length} chars)` : value}`));
  }
  if (req.body) {
    const text = req.body.toString('utf8');
    const printable = req.body.byteLength <= 2_000 && !text.includes('\uFFFD') && !req.body.some((b) => b < 9);
    parts.push(
      '--data-binary',
      printable ? quote(text) : `@<${req.body.byteLength} bytes: base64 ${req.body.subarray(0, 120).toString('base64')}…>`,
    );
  }
  return parts.join(' ');
}
