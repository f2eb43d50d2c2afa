/**
 * 11. The web console: what a browser downloads (each file, raw and gzip, as CloudFront's
 * compression would send it) and how long the page takes in headless Chromium against a local
 * stack: the first load with an empty cache, a reload with the hashed assets cached, and the
 * apps screen after sign-in. `BENCH_ONLY=console` runs this alone.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { buildConsole } from '../../console/build.js';
import { launchChromium } from '../support/chromium.js';
import { LocalService } from '../support/local-service.js';

const RUNS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

export async function reportConsole(): Promise<void> {
  const out = mkdtempSync(join(tmpdir(), 'ota-console-bench-'));
  const profile = mkdtempSync(join(tmpdir(), 'ota-console-chromium-'));
  console.log('\n11. The web console (Preact + esbuild, minified)');
  const first = { bytes: 0, gzip: 0 };
  const all = { bytes: 0, gzip: 0 };
  try {
    for (const file of buildConsole(out).files) {
      const gzip = gzipSync(readFileSync(join(out, file.path)), { level: 9 }).byteLength;
      for (const sum of file.initial ? [first, all] : [all]) {
        sum.bytes += file.bytes;
        sum.gzip += gzip;
      }
      const when = file.initial ? '' : '   (when its screen opens)';
      console.log(`   ${file.path.padEnd(34)} ${String(file.bytes).padStart(8)} B   gzip ${String(gzip).padStart(7)} B${when}`);
    }
    console.log(`   ${'first page load'.padEnd(34)} ${String(first.bytes).padStart(8)} B   gzip ${String(first.gzip).padStart(7)} B`);
    console.log(`   ${'every file'.padEnd(34)} ${String(all.bytes).padStart(8)} B   gzip ${String(all.gzip).padStart(7)} B`);

    const service = await LocalService.start();
    const browser = await launchChromium(profile);
    try {
      const page = await browser.newPage();
      const cold: number[] = [];
      const warm: number[] = [];
      const signedIn: number[] = [];
      const url = `${service.url}/console/`;
      // The first load builds the console in the local gateway: not counted.
      await page.goto(url);
      for (let i = 0; i < RUNS; i++) {
        const client = await page.context().newCDPSession(page);
        await client.send('Network.clearBrowserCache');
        await client.detach();
        let start = Date.now();
        await page.goto(url);
        await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
        cold.push(Date.now() - start);
        start = Date.now();
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
        warm.push(Date.now() - start);
      }
      const { username, password } = service.stack.info.admin;
      await page.getByLabel('User name', { exact: true }).fill(username);
      await page.getByLabel('Password', { exact: true }).fill(password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Apps' }).waitFor();
      for (let i = 0; i < RUNS; i++) {
        const start = Date.now();
        await page.reload();
        await page.getByRole('heading', { level: 1, name: 'Apps' }).waitFor();
        await page.getByText('No apps yet.').waitFor();
        signedIn.push(Date.now() - start);
      }
      console.log(`   headless Chromium, local stack, medians of ${RUNS}:`);
      console.log(`   sign-in screen, empty cache (navigation → screen shown)   ${median(cold)} ms`);
      console.log(`   sign-in screen, assets cached                            ${median(warm)} ms`);
      console.log(`   apps screen, signed in (config, who-am-i, apps)          ${median(signedIn)} ms`);
    } finally {
      await browser.close();
      await service.stop();
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
    rmSync(profile, { recursive: true, force: true });
  }
}
