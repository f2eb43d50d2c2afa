/**
 * The web console in a real headless Chromium (Debian's, driven by playwright-core) against a
 * local stack: sign in, create an app, set its slug, create a release, upload a real file and watch
 * the server verify it, publish; drop a 64 MiB file that goes in parts, publish, yank; the keyboard
 * path and an accessibility audit of every screen at laptop and phone width; an app's privacy and
 * Tauri key; a team user's narrower view. The page must run under its content security policy without a single violation.
 * Screenshots of the main screens go to test-artifacts/console/ (gitignored).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { BrowserContext, Page } from 'playwright-core';
import { auditAccessibility, focused, focusIsVisible } from '../support/a11y.js';
import { CHROMIUM, launchChromium, SCREENSHOTS } from '../support/chromium.js';
import { LocalService, TEST_SIGNATURE } from '../support/local-service.js';

describe('the web console in headless Chromium', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let service: LocalService;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  const problems: string[] = [];
  /** The app and release the console made (the team user's test reads them). */
  const made = { appId: '', releaseId: '' };

  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'ota-chromium-'));
    [service, browser] = await Promise.all([LocalService.start(), launchChromium(profile)]);
    page = browser.pages()[0] ?? (await browser.newPage());
    // A CSP violation, a script error or a failed request is a failure of the page.
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  });

  after(async () => {
    await browser?.close();
    await service?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('is served under /console/ with its CSP, cache policy and SPA fallback', async () => {
    const response = await page.goto(`${service.url}/console/apps/any/releases`);
    assert.equal(response?.status(), 200);
    const headers = response?.headers() ?? {};
    assert.match(headers['content-security-policy'] ?? '', /default-src 'self'; script-src 'self'/);
    assert.match(headers['content-security-policy'] ?? '', /frame-ancestors 'none'/);
    assert.equal(headers['cache-control'], 'no-cache');
    const script = await page.locator('script[type=module]').getAttribute('src');
    assert.match(script ?? '', /^\/console\/assets\/app-[A-Z0-9]+\.js$/);
    const asset = await page.request.get(`${service.url}${script}`);
    assert.equal(asset.headers()['cache-control'], 'public, max-age=31536000, immutable');
    await heading('Sign in').waitFor();
  });

  it('works whichever name the page is opened by (its API calls go to its own origin, the one the CSP allows)', async () => {
    // config.json names 127.0.0.1; a page opened as localhost (in the cloud: the distribution's
    // domain beside a custom one) is another origin.
    const other = await browser.newPage();
    const otherProblems: string[] = [];
    other.on('console', (message) => {
      if (message.type() === 'error') otherProblems.push(message.text());
    });
    try {
      const { username, password } = service.stack.info.admin;
      await other.goto(`${service.url.replace('127.0.0.1', 'localhost')}/console/`);
      await other.getByLabel('User name', { exact: true }).fill(username);
      await other.getByLabel('Password', { exact: true }).fill(password);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await other.getByRole('heading', { level: 1, name: 'Apps' }).waitFor();
      assert.deepEqual(otherProblems, []);
    } finally {
      await other.close();
    }
  });

  it('signs in, creates an app, uploads a file that verifies and publishes it', async () => {
    const { username, password } = service.stack.info.admin;
    await page.goto(`${service.url}/console/`);
    await page.getByLabel('User name', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await shoot('sign-in');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Apps').waitFor();
    await page.getByText(`${username}`).first().waitFor();

    await page.getByLabel('Name', { exact: true }).fill('Console Demo');
    await page.getByRole('button', { name: 'Create app' }).click();
    await heading('Console Demo').waitFor();
    await page.getByLabel('Slug', { exact: true }).fill('console-demo');
    await page.getByRole('button', { name: 'Save slug' }).click();
    await page.getByText('Slug saved.').waitFor();
    await shoot('app-settings');

    await page.getByRole('link', { name: 'Apps', exact: true }).first().click();
    await page.getByRole('link', { name: 'Console Demo' }).waitFor();
    await shoot('apps');

    await page.getByRole('link', { name: 'Console Demo' }).click();
    await page.getByRole('link', { name: 'Releases' }).click();
    await heading('Releases of Console Demo').waitFor();
    await page.getByLabel('Version', { exact: true }).fill('1.0.0');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await heading('Release 1.0.0').waitFor();

    // A real file: a gzip of random bytes, as a bundle would be.
    const file = join(profile, 'console-demo_1.0.0_aarch64.app.tar.gz');
    writeFileSync(file, gzipSync(randomBytes(300_000)));
    await page.getByLabel('Platform', { exact: true }).selectOption('darwin');
    await page.getByLabel('Architecture', { exact: true }).selectOption('aarch64');
    await page.getByLabel('Signature (Tauri .sig, optional)', { exact: true }).fill(TEST_SIGNATURE);
    await page.getByLabel('Files to upload', { exact: true }).setInputFiles(file);
    const transfer = page.locator('.transfers li').first();
    await transfer.locator('.status-ready').waitFor({ timeout: 20_000 });
    assert.equal(await transfer.locator('progress').getAttribute('value'), String((await import('node:fs')).statSync(file).size));
    await page.getByRole('table', { name: 'Files of this release' }).getByText('ready').waitFor();
    await shoot('release-uploaded');

    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();
    await page.getByRole('button', { name: 'Yank release' }).waitFor();

    const token = await service.adminToken();
    const apps = await service.request('GET', '/api/sync/ota/apps', { token });
    const app = (apps.json as { apps: { id: string; slug: string }[] }).apps.find((a) => a.slug === 'console-demo');
    assert.ok(app, 'the app made in the console exists');
    const releases = await service.request('GET', `/api/sync/ota/apps/${app.id}/releases`, { token });
    const [release] = (releases.json as { releases: { id: string; version: string; status: string; artifacts: { status: string }[] }[] })
      .releases;
    made.appId = app.id;
    made.releaseId = release?.id ?? '';
    assert.equal(release?.version, '1.0.0');
    assert.equal(release?.status, 'published');
    assert.deepEqual(
      release?.artifacts.map((a) => a.status),
      ['ready'],
    );

    await page.getByRole('link', { name: 'Releases', exact: true }).click();
    await page.getByRole('cell', { name: 'published' }).waitFor();
    await shoot('releases');
    await page.getByRole('link', { name: 'Catalogs' }).click();
    await heading('Catalogs').waitFor();
    await shoot('catalogs');

    await page.setViewportSize({ width: 390, height: 780 });
    await page.getByRole('link', { name: 'Apps', exact: true }).first().click();
    await page.getByRole('link', { name: 'Console Demo' }).waitFor();
    await shoot('apps-phone');
    await page.setViewportSize({ width: 1200, height: 760 });
    assert.deepEqual(problems, []);
  });

  it('uploads a large file dropped on a release in parts, with its progress; the server verifies it; publish, then yank', async () => {
    assert.ok(made.appId, 'the previous test made an app');
    await page.goto(`${service.url}/console/apps/${made.appId}/releases`);
    await heading('Releases of Console Demo').waitFor();
    await page.getByLabel('Version', { exact: true }).fill('1.1.0');
    await page.getByRole('button', { name: 'Create draft' }).click();
    await heading('Release 1.1.0').waitFor();
    await page.getByLabel('Platform', { exact: true }).selectOption('linux');
    await page.getByLabel('Architecture', { exact: true }).selectOption('x86_64');

    // The multipart threshold (the CLI's too): 64 MiB, sent as presigned parts, four at a time.
    const size = 64 * 1024 * 1024;
    const name = 'console-demo_1.1.0_amd64.AppImage';
    const parts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && new URL(request.url()).searchParams.has('partNumber')) parts.push(request.url());
    });
    // A real drop: a DragEvent carrying a file, on the drop zone (the page's own File, made in the page).
    const dropped = await page.evaluateHandle(
      `(() => { const t = new DataTransfer(); t.items.add(new File([new Uint8Array(${size}).fill(7)], '${name}')); return t; })()`,
    );
    await page.locator('.dropzone').dispatchEvent('drop', { dataTransfer: dropped });
    const transfer = page.locator('.transfers li', { hasText: name });
    await transfer.locator('.status-ready').waitFor({ timeout: 45_000 });
    assert.equal(await transfer.locator('progress').getAttribute('value'), String(size));
    assert.equal(
      new Set(parts.map((url) => new URL(url).searchParams.get('partNumber'))).size,
      size / (8 * 1024 * 1024),
      'eight 8 MiB parts',
    );
    await page.getByRole('table', { name: 'Files of this release' }).getByText('linux').waitFor();

    // Published, then yanked: no client is offered it any more.
    await page.getByRole('button', { name: 'Publish now' }).click();
    await page.getByText('Published.').waitFor();
    await page.getByRole('button', { name: 'Yank release' }).click();
    await page.getByText('Yanked: no client is offered it any more.').waitFor();
    const release = await service.request('GET', `/api/sync/ota/apps/${made.appId}/releases`, { token: await service.adminToken() });
    const yanked = (release.json as { releases: { version: string; status: string }[] }).releases.find((r) => r.version === '1.1.0');
    assert.equal(yanked?.status, 'yanked');
    assert.deepEqual(problems, []);
  });

  it('works with the keyboard alone and passes the accessibility audit on every screen, laptop and phone width', async () => {
    assert.ok(made.appId, 'the previous test made an app');
    await page.goto(`${service.url}/console/`);
    await heading('Apps').waitFor();
    // The first Tab reaches the skip link, drawn with a visible focus ring; it leads into the screen.
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'a Skip to content');
    assert.ok(await focusIsVisible(page), 'the skip link shows its focus');
    await page.keyboard.press('Enter');
    assert.equal(await focused(page), 'main', 'the skip link moves focus to the screen');
    // Tab to the new app's name, type it, Enter: the new app's screen, its heading focused (announced).
    for (let i = 0; i < 30 && (await focused(page)) !== 'input Name'; i++) await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'input Name');
    assert.ok(await focusIsVisible(page), 'the field shows its focus');
    await page.keyboard.type('Keyboard App');
    await page.keyboard.press('Enter');
    await heading('Keyboard App').waitFor();
    // (Locators, not waitForFunction: the page's CSP forbids the eval that one would need.)
    await page.locator('h1:focus').waitFor();

    const screens = [
      ['/', 'Apps'],
      [`/apps/${made.appId}`, 'Console Demo'],
      [`/apps/${made.appId}/releases`, 'Releases of Console Demo'],
      [`/apps/${made.appId}/releases/${made.releaseId}`, 'Release 1.0.0'],
      ['/catalogs', 'Catalogs'],
    ] as const;
    const found: string[] = [];
    for (const width of [1200, 390]) {
      await page.setViewportSize({ width, height: width > 600 ? 760 : 780 });
      for (const [path, title] of screens) {
        await page.goto(`${service.url}/console${path}`);
        await heading(title).waitFor();
        await page.locator('.loading').first().waitFor({ state: 'detached' });
        found.push(...(await auditAccessibility(page)).map((p) => `${width} px, ${p}`));
        if (width < 600 && title.startsWith('Release ')) await shoot('release-phone');
      }
    }
    await page.setViewportSize({ width: 1200, height: 760 });
    assert.deepEqual(found, []);
    assert.deepEqual(problems, []);
  });

  it("changes an app's settings: privacy and the Tauri public key", async () => {
    await page.goto(`${service.url}/console/`);
    await page.getByRole('link', { name: 'Keyboard App' }).click();
    await heading('Keyboard App').waitFor();
    // What `tauri signer generate` writes to the .pub file (an Ed25519 key: 'Ed', key id, key), base64 as tauri.conf.json holds it.
    const key = Buffer.concat([Buffer.from('Ed'), randomBytes(40)]).toString('base64');
    const pubkey = Buffer.from(`untrusted comment: minisign public key\n${key}\n`).toString('base64');
    await page.getByLabel('Private: downloads and update checks need a download token', { exact: true }).check();
    await page.getByLabel('Tauri public key', { exact: true }).fill(pubkey);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByText('Saved. The privacy change is being applied to every file of the app.').waitFor();
    const apps = await service.request('GET', '/api/sync/ota/apps', { token: await service.adminToken() });
    const app = (apps.json as { apps: { name: string; private: boolean; tauri_pubkey: string | null }[] }).apps.find(
      (a) => a.name === 'Keyboard App',
    );
    assert.equal(app?.private, true);
    assert.equal(app?.tauri_pubkey, pubkey);
    assert.deepEqual(problems, []);
  });

  it('shows a team user only what their permissions allow', async () => {
    assert.ok(made.appId, 'the previous test made an app');
    const token = await service.adminToken();
    const password = `Team-${randomBytes(9).toString('base64url')}9a!`;
    const created = await service.request('POST', '/api/sync/ota/team/users', {
      token,
      body: { username: 'uploader', password, tokens: false, permissions: { apps: { upload: true, allowed: [made.appId] } } },
    });
    assert.equal(created.status, 201, created.text);

    // Signing in keeps the screen the URL names: start from the apps.
    await page.goto(`${service.url}/console/`);
    await heading('Apps').waitFor();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name', { exact: true }).fill('uploader');
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading('Apps').waitFor();
    await page.getByText('(team user)').waitFor();
    await page.getByRole('link', { name: 'Console Demo' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Create app' }).count(), 0, 'no app creation without the create flag');

    await page.getByRole('link', { name: 'Console Demo' }).click();
    await page.getByText('You may read this app but not change it.').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save settings' }).isDisabled(), true);

    await page.goto(`${service.url}/console/apps/${made.appId}/releases/${made.releaseId}`);
    await heading('Release 1.0.0').waitFor();
    await page.getByRole('button', { name: 'Choose files…' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Yank release' }).count(), 0, 'no yank without the edit flag');
    await shoot('release-team-user');
    assert.deepEqual(problems, []);
  });
});
