/**
 * `npm run telemetry:replay -- FILE…`: feeds files of CloudFront real-time log records (the fields
 * of shared/domain/edge-log.ts, in that order, one record a line) through the same aggregation as
 * the cloud's Kinesis consumer, into the running local stack (`npm start`). Edge hits that never
 * reached an origin can so be replayed and counted. Prints what was read, counted and written.
 */
import { readFileSync } from 'node:fs';
import { ENV } from '../shared/config/env.js';
import { telemetryAggregator } from '../shared/faces/faynosync/telemetry-root.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from './provision.js';
import { readStackInfo } from './state-dir.js';

/** Records per aggregation, as the Kinesis event source mapping's batch size in the stack. */
const BATCH = 1000;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('Usage: npm run telemetry:replay -- FILE…');
  process.exit(2);
}
const info = readStackInfo();
Object.assign(process.env, {
  AWS_REGION: LOCAL_REGION,
  AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
  [ENV.dynamodbEndpoint]: info.dynamoDbEndpoint,
  [ENV.tableName]: info.tableName,
  [ENV.telemetryKey]: info.telemetryKey,
});
const total = { records: 0, counted: 0, rows: 0, writes: 0 };
for (const file of files) {
  const lines = readFileSync(file, 'utf8').split('\n');
  for (let at = 0; at < lines.length; at += BATCH) {
    const result = await telemetryAggregator().ingest(lines.slice(at, at + BATCH));
    for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += result[key];
  }
}
console.log(JSON.stringify(total));
