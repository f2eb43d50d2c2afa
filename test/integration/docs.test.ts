import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type LocalStack, startLocalStack } from '../../local/stack.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** The reader's working folder lives inside the checkout, so `npm run` and `npx` find the project. */
const SCRATCH = join(ROOT, '.docs-test');
const NOT_RUN = /^<!--\s*not run:\s*(.+?)\s*-->$/;

interface Block {
  line: number;
  code: string;
  /** Why the block is not run (it needs an AWS account, or starts a server that never exits). */
  skip?: string;
}

/** The ```bash blocks of a Markdown file, in order; a `<!-- not run: why -->` line just above one marks it. */
function bashBlocks(markdown: string): Block[] {
  const lines = markdown.split('\n');
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```bash\s*$/.test(lines[i] ?? '')) continue;
    let above = i - 1;
    while (above >= 0 && (lines[above] ?? '').trim() === '') above--;
    const skip = NOT_RUN.exec((lines[above] ?? '').trim())?.[1];
    const start = i;
    const code: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) code.push(lines[i] ?? '');
    blocks.push({ line: start + 1, code: code.join('\n'), ...(skip ? { skip } : {}) });
  }
  return blocks;
}

/** README.md, then the docs pages in file name order. */
function docFiles(): string[] {
  const pages = readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .sort();
  return ['README.md', ...pages.map((name) => join('docs', name))];
}

interface BlockRun {
  block: Block;
  output: string;
}

/**
 * Runs a file's blocks one after another in one bash (as a reader pastes them into one terminal),
 * each block's output after a marker line; returns the blocks that ran, with their output, and the
 * exit code. The shell stops at the first failing command (`set -euo pipefail`).
 */
async function runFile(blocks: Block[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ runs: BlockRun[]; code: number | null }> {
  const marker = `@@docs-block-${process.pid}`;
  const script = [
    'set -euo pipefail',
    'exec 2>&1',
    ...blocks.flatMap((block, index) => [`printf '\\n%s %d\\n' ${marker} ${index}`, block.code]),
  ].join('\n');
  const child = spawn('bash', ['-c', script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 240_000);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  const runs: BlockRun[] = [];
  for (const part of output.split(`\n${marker} `).slice(1)) {
    const newline = part.indexOf('\n');
    const block = blocks[Number(part.slice(0, newline))];
    if (block) runs.push({ block, output: part.slice(newline + 1) });
  }
  return { runs, code };
}

describe('every bash block of the README and docs/ runs verbatim against the local stack', () => {
  let stack: LocalStack;
  let stateDir: string;
  let totals = { run: 0, skipped: 0 };

  before(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'ota-docs-'));
    stack = await startLocalStack({ stateDir, port: 0, inMemoryDynamoDb: true });
    totals = { run: 0, skipped: 0 };
  });
  after(async () => {
    await stack?.stop();
    rmSync(stateDir, { recursive: true, force: true });
    rmSync(SCRATCH, { recursive: true, force: true });
  });

  it('finds the blocks, and every skipped one says why', () => {
    const all = docFiles().flatMap((file) => bashBlocks(readFileSync(join(ROOT, file), 'utf8')));
    assert.ok(all.filter((block) => !block.skip).length >= 10, 'the docs have runnable examples');
    assert.ok(all.filter((block) => block.skip).length <= 8, 'few blocks are exempt');
  });

  for (const file of docFiles()) {
    it(file, async (t) => {
      const blocks = bashBlocks(readFileSync(join(ROOT, file), 'utf8'));
      const runnable = blocks.filter((block) => !block.skip);
      totals.skipped += blocks.length - runnable.length;
      if (runnable.length === 0) return;
      mkdirSync(SCRATCH, { recursive: true });
      const cwd = mkdtempSync(join(SCRATCH, `${file.replace(/\W+/g, '-')}-`));
      // What the docs tell a reader to have: `npm start` running (its address in BASE) and its state.
      // The CLI's login lives in the reader's own config folder, never the test runner's.
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        BASE: stack.info.apiUrl,
        OTA_LOCAL_DIR: stateDir,
        XDG_CONFIG_HOME: join(cwd, '.config'),
      };
      for (const name of ['API', 'TOKEN', 'H', 'APP', 'URL', 'OTA_TOKEN', 'OTA_URL', 'OTA_APP']) delete env[name];
      const { runs, code } = await runFile(runnable, cwd, env);
      totals.run += runs.length;
      const last = runs.at(-1);
      if (code !== 0 || runs.length !== runnable.length) {
        const where = last ? `${file}:${last.block.line} (block ${runnable.indexOf(last.block) + 1} of ${runnable.length})` : file;
        assert.fail(`${where} failed (exit ${code}):\n--- block\n${last?.block.code ?? ''}\n--- output\n${last?.output ?? ''}`);
      }
      t.diagnostic(`${runs.length} blocks run, ${blocks.length - runnable.length} skipped`);
    });
  }

  it('counts', (t) => {
    t.diagnostic(`${totals.run} blocks run, ${totals.skipped} skipped (not run: they need an AWS account or never exit)`);
  });
});
