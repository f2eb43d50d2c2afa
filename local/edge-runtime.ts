import * as crypto from 'node:crypto';

/** A CloudFront Function's event and answer, as far as ours read and write them. */
export interface EdgeValue {
  value: string;
  multiValue?: EdgeValue[];
}
export interface EdgeRequest {
  uri: string;
  method?: string;
  headers: Record<string, EdgeValue | undefined>;
  querystring?: Record<string, EdgeValue | undefined>;
}
export interface EdgeResponse {
  statusCode: number;
  statusDescription?: string;
  headers: Record<string, EdgeValue | undefined>;
  body?: { encoding: string; data: string };
}
export type ViewerRequestHandler = (event: { request: EdgeRequest }) => Promise<EdgeRequest | EdgeResponse>;

/**
 * The KeyValueStore as the edge function sees it, in memory: what the local publisher writes and
 * the local gateway's copy of the function reads (the cloud's store is written by the edge-state
 * writer, lambdas/invalidate-edge.ts).
 */
export class InMemoryEdgeStore {
  readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async update(puts: readonly { key: string; value: string }[], deletes: readonly string[] = []): Promise<void> {
    for (const { key, value } of puts) this.values.set(key, value);
    for (const key of deletes) this.values.delete(key);
  }
}

/**
 * Runs a cloudfront-js-2.0 function's exact source in Node: its `import cf from 'cloudfront'` gets
 * a shim whose `kvs().get` reads `store` (and throws for a missing key, as CloudFront's does), its
 * `import crypto from 'crypto'` gets Node's (same createHash API).
 */
export function loadEdgeFunction(code: string, store: Pick<InMemoryEdgeStore, 'get'>): ViewerRequestHandler {
  const cf = {
    kvs: () => ({
      get: async (key: string) => {
        const value = await store.get(key);
        if (value === undefined) throw new Error(`Key ${key} not found`);
        return value;
      },
      exists: async (key: string) => (await store.get(key)) !== undefined,
    }),
  };
  const body = code.replace(/^import cf from 'cloudfront';$/m, '').replace(/^import crypto from 'crypto';$/m, '');
  if (/^import /m.test(body)) throw new Error('Edge function imports a module the local runtime does not provide');
  return new Function('cf', 'crypto', `${body}\nreturn handler;`)(cf, crypto) as ViewerRequestHandler;
}
