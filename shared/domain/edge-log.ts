/**
 * The edge's log record: a CloudFront real-time log line
 * (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/real-time-logs.html), the
 * fields below tab-separated, `-` for an empty field. The stack configures exactly these fields
 * (infra/constructs/telemetry.ts), the local gateway writes them, and the aggregator reads them.
 *
 * The list is in the order of AWS's field table, which is the order CloudFront writes them in
 * whatever order a configuration names them: the configured order and the record's are the same.
 * The request is logged as the viewer sent it (before the viewer-request function prunes the
 * query), so `cs-uri-query` still holds Velopack's `stagingId` and `cs-headers` the device header.
 */
export const EDGE_LOG_FIELDS = [
  'timestamp',
  'sc-status',
  'cs-method',
  'cs-uri-stem',
  'x-edge-request-id',
  'cs-uri-query',
  'x-edge-result-type',
  'cs-headers',
] as const;

export type EdgeLogField = (typeof EDGE_LOG_FIELDS)[number];

export interface EdgeLogRecord {
  /** When the edge answered (ms since the epoch). */
  timeMs: number;
  status: number;
  method: string;
  /** The path as requested (percent-encoded as sent). */
  path: string;
  requestId: string;
  /** The viewer's query string without `?` ('' when none). */
  query: string;
  /** Hit, RefreshHit, Miss, Error, ... ('' locally: no cache). */
  resultType: string;
  /** Request headers, names lowercased. */
  headers: Readonly<Record<string, string>>;
}

const EMPTY = '-';

/** One record, or undefined for a line that is not one (a blank line, a wrong field count, a bad number). */
export function parseEdgeLogLine(line: string): EdgeLogRecord | undefined {
  const values = line.replace(/\r?\n$/, '').split('\t');
  if (values.length !== EDGE_LOG_FIELDS.length) return undefined;
  const field = (name: EdgeLogField): string => {
    const value = values[EDGE_LOG_FIELDS.indexOf(name)] ?? EMPTY;
    return value === EMPTY ? '' : value;
  };
  const timeMs = Math.round(Number(field('timestamp')) * 1000);
  const status = Number(field('sc-status'));
  if (!Number.isFinite(timeMs) || timeMs <= 0 || !Number.isInteger(status)) return undefined;
  return {
    timeMs,
    status,
    method: field('cs-method'),
    path: field('cs-uri-stem'),
    requestId: field('x-edge-request-id'),
    query: field('cs-uri-query'),
    resultType: field('x-edge-result-type'),
    headers: parseHeaders(field('cs-headers')),
  };
}

/** The line CloudFront would write for `record` (the local gateway's log, the replay fixtures). */
export function formatEdgeLogLine(record: EdgeLogRecord): string {
  const values: Record<EdgeLogField, string> = {
    timestamp: (record.timeMs / 1000).toFixed(3),
    'sc-status': String(record.status),
    'cs-method': record.method,
    'cs-uri-stem': record.path,
    'x-edge-request-id': record.requestId,
    'cs-uri-query': record.query,
    'x-edge-result-type': record.resultType,
    'cs-headers': formatHeaders(record.headers),
  };
  return EDGE_LOG_FIELDS.map((name) => values[name] || EMPTY).join('\t');
}

/**
 * `cs-headers`: the viewer's headers as `Name:value` lines, URL-encoded, the line breaks as `%0A`
 * (AWS truncates the field at 800 bytes: a device header late in a long request may be cut, and
 * such a request counts without its device).
 */
function parseHeaders(field: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of field.split('%0A')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = safeDecode(line.slice(0, colon)).trim().toLowerCase();
    headers[name] ??= safeDecode(line.slice(colon + 1)).trim();
  }
  return headers;
}

function formatHeaders(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${encodeURIComponent(name)}:${encodeURIComponent(value)}`)
    .join('%0A');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
