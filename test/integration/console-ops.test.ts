/**
 * The console's operations screens in headless Chromium against a local stack: a rollout moved
 * with the slider changes what a device's check answers; a chart changes after checks; an API
 * token is shown once and works; team users, download tokens, SDK keys, webhooks (secret shown
 * once, a delivery listed), device pins (a pinned device's check follows), client snippets and the
 * audit trail. No CSP violation (uPlot included) and no script error on any screen. Screenshots go
 * to test-artifacts/console/ (gitignored); docs/console/ keeps copies of some.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { verifySignature } from '../../shared/domain/webhook.js';
import { CHROMIUM, consoleSignIn, launchChromium, SCREENSHOTS, watchProblems } from '../support/chromium.js';
import { createPublishedApp, LocalService, uploadArtifact } from '../support/local-service.js';

describe('the console’s operations screens in headless Chromium', { skip: !existsSync(CHROMIUM) && `no Chromium at ${CHROMIUM}` }, () => {
  let service: LocalService;
  let browser: BrowserContext;
  let page: Page;
  let profile: string;
  let problems: string[] = [];
  let token: string;
  let appId: string;
  let newRelease: string;

  const shoot = (name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const heading = (name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const api = (method: string, path: string, body?: unknown) =>
    service.request(method, `/api/sync/ota${path}`, { token, ...(body === undefined ? {} : { body }) });
  const open = async (path: string, title: string | RegExp) => {
    await page.goto(`${service.url}/console${path}`);
    await heading(title).waitFor();
  };
  /** A device's Tauri check on linux/x86_64 from 1.0.0: the version offered, or 'none' (204). */
  const check = async (device: string) => {
    const answer = await service.request('GET', '/api/sync/ota/ops-demo/linux/x86_64/1.0.0', { headers: { 'x-device-id': device } });
    assert.ok(answer.status === 200 || answer.status === 204, answer.text);
    return answer.status === 204 ? 'none' : (answer.json as { version: string }).version;
  };

  /** A published release with one verified linux/x86_64 file; its id. */
  async function release(version: string): Promise<string> {
    const created = await api('POST', `/apps/${appId}/releases`, { version, channel: 'stable' });
    assert.equal(created.status, 201, created.text);
    const id = (created.json as { id: string }).id;
    await uploadArtifact(service, token, appId, id, { target: 'linux', arch: 'x86_64', bytes: randomBytes(512) });
    assert.equal((await api('POST', `/apps/${appId}/releases/${id}/publish`, {})).status, 200);
    return id;
  }

  before(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    profile = mkdtempSync(join(tmpdir(), 'ota-chromium-'));
    [service, browser] = await Promise.all([LocalService.start(), launchChromium(profile)]);
    page = browser.pages()[0] ?? (await browser.newPage());
    problems = watchProblems(page);
    token = await service.adminToken();
    appId = await createPublishedApp(service, token, 'ops-demo', 'Ops Demo');
    await release('1.0.0');
    newRelease = await release('1.1.0');
    assert.equal((await api('PUT', `/apps/${appId}/releases/${newRelease}/rollout`, { percent: 0 })).status, 200);
    const { username, password } = service.stack.info.admin;
    await consoleSignIn(page, `${service.url}/console/`, username, password);
    await heading('Apps').waitFor();
  });

  after(async () => {
    await browser?.close();
    await service?.stop();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('shows what each platform is served, and moves a rollout with the slider: the device’s check answers the new release', async () => {
    await open(`/apps/${appId}/serving`, 'Rollouts of Ops Demo');
    const served = page.getByRole('table', { name: 'What each channel serves each platform' });
    await served
      .getByRole('row', { name: /stable .*linux .*x86_64/ })
      .getByText('0 %')
      .waitFor();
    assert.equal(await check('console-device-1'), 'none', 'at 0 % the device stays on 1.0.0');
    await shoot('rollouts');

    await page.getByRole('link', { name: /^1\.1\.0 on stable/ }).click();
    await heading('Rollout of 1.1.0').waitFor();
    const slider = page.getByLabel('Rollout percentage (slider)');
    const number = page.getByLabel('Percent', { exact: true });
    // The keyboard moves the slider, and the number field follows.
    await slider.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    assert.equal(await number.inputValue(), '2');
    await page.keyboard.press('End');
    assert.equal(await number.inputValue(), '100');
    await page.getByRole('button', { name: 'Apply 100 %' }).click();
    await page.getByText('Rollout set to 100 %.').waitFor();
    assert.equal(await check('console-device-1'), '1.1.0', 'at 100 % the device is offered 1.1.0');

    // Halt, then resume where it was.
    await page.getByRole('button', { name: 'Halt' }).click();
    await page.getByText('Halted: no new device gets this release.').waitFor();
    assert.equal(await check('console-device-1'), 'none');
    await page.getByRole('button', { name: 'Resume at 100 %' }).click();
    await page.getByText('Resumed at 100 %.').waitFor();
    assert.equal(await check('console-device-1'), '1.1.0');

    // A halt rule, and install reports that arrive while the screen is open (it reads them again on its own).
    await page.getByLabel('Maximum failure rate (%)').fill('20');
    await page.getByLabel('Over at least (reports)').fill('3');
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByText('Halt rule saved.').waitFor();
    for (const outcome of ['success', 'failure']) {
      const report = await service.request('POST', '/api/sync/ota/installs', {
        body: {
          device_id: `console-report-${outcome}`,
          app: 'ops-demo',
          channel: 'stable',
          from_version: '1.0.0',
          to_version: '1.1.0',
          outcome,
        },
      });
      assert.equal(report.status, 202, report.text);
    }
    await page.locator('[data-figure="reports"]', { hasText: '2' }).waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-figure="failure-rate"]').textContent(), '50 %');

    // The device checked twice while the rollout was at 0 %: telemetry counts it outside the rollout.
    await service.stack.telemetryIdle();
    await page.reload();
    await heading('Rollout of 1.1.0').waitFor();
    await page.locator('[data-figure="devices-out"]', { hasText: '1' }).waitFor();
    assert.equal(await page.locator('[data-figure="devices-in"]').textContent(), '0');
    await shoot('rollout');
  });

  it('promotes the release and rolls the channel back', async () => {
    assert.equal((await api('POST', '/channels', { name: 'ops-beta', follows: [] })).status, 201);
    await open(`/apps/${appId}/releases/${newRelease}/rollout`, 'Rollout of 1.1.0');
    await page.getByLabel('Promote to channel').selectOption('ops-beta');
    await page.getByRole('button', { name: 'Promote', exact: true }).click();
    await page.getByText('Offered on ops-beta too, with the same files.').waitFor();

    await open(`/apps/${appId}/serving`, 'Rollouts of Ops Demo');
    await page.getByLabel('Channel', { exact: true }).selectOption('stable');
    await page.getByLabel('Back to version').selectOption('1.0.0');
    await page.getByRole('button', { name: 'Roll back' }).click();
    await page.getByText(/stable serves 1\.0\.0 again/).waitFor();
    assert.equal(await check('console-device-1'), 'none', 'stable serves 1.0.0 again');
  });

  it('draws the telemetry, and a chart changes after checks', async () => {
    await open(`/apps/${appId}/stats`, 'Telemetry of Ops Demo');
    const requests = page.locator('[data-figure="requests"]');
    const before = Number(await requests.textContent());
    for (const device of ['chart-device-1', 'chart-device-2', 'chart-device-3']) await check(device);
    const today = new Date().toISOString().slice(0, 10);
    // The local gateway aggregates the edge's records within 50 ms; reload until they are counted.
    let after = before;
    for (let i = 0; i < 20 && after < before + 3; i++) {
      await page.getByRole('button', { name: 'Reload' }).click();
      await page.waitForTimeout(250);
      after = Number(await requests.textContent());
    }
    assert.ok(after >= before + 3, `requests went from ${before} to ${after}`);
    const table = page.getByRole('table', { name: 'Requests per day' });
    const cells = await table
      .getByRole('row', { name: new RegExp(`^${today}`) })
      .getByRole('cell')
      .allTextContents();
    assert.ok(Number(cells.at(-1)) >= 3, `today's requests in the table: ${cells}`);
    assert.ok((await page.locator('.chart canvas').count()) >= 5, 'every chart is drawn');
    await shoot('telemetry');
  });

  it('creates an API token that is shown once and works, and revokes it', async () => {
    await open('/tokens', 'API tokens');
    await page.getByLabel('Token name').fill('console-ci');
    await page.getByRole('group', { name: 'Apps it may act on' }).getByLabel('Ops Demo').check();
    await page.getByRole('button', { name: 'Create token' }).click();
    const secret = page.locator('code.secret');
    await secret.waitFor();
    const value = (await secret.textContent()) ?? '';
    await shoot('api-token-created');
    const whoami = await service.request('GET', '/api/sync/ota/whoami', { token: value });
    assert.equal(whoami.status, 200, whoami.text);
    assert.equal((whoami.json as { kind: string }).kind, 'token');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await secret.waitFor({ state: 'detached' });
    await page.reload();
    await page.getByRole('rowheader', { name: 'console-ci' }).waitFor();
    assert.ok(!(await page.content()).includes(value), 'the token is never shown again');
    await page.getByRole('button', { name: 'Revoke console-ci' }).click();
    await page.getByText('console-ci is revoked').waitFor();
    assert.equal((await service.request('GET', '/api/sync/ota/whoami', { token: value })).status, 401);
  });

  it('manages team users, download tokens and SDK keys, and shows the audit trail', async () => {
    await open('/team', 'Team');
    await page.getByLabel('User name', { exact: true }).fill('console-teammate');
    await page.getByLabel('Password', { exact: true }).fill('Teammate-Passw0rd!');
    const create = page.getByRole('region', { name: 'New team user' });
    await create.getByLabel('upload').check();
    await create.getByLabel('Ops Demo').check();
    await page.getByRole('button', { name: 'Create team user' }).click();
    await page.getByRole('rowheader', { name: 'console-teammate' }).waitFor();
    await page.getByRole('button', { name: 'Edit console-teammate' }).click();
    await page.getByRole('region', { name: 'Edit console-teammate' }).getByLabel('edit', { exact: true }).check();
    await page.getByRole('button', { name: 'Save console-teammate' }).click();
    await page.getByRole('cell', { name: 'read, edit, upload' }).waitFor();
    await shoot('team');
    await page.getByRole('button', { name: 'Edit console-teammate' }).click();
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Delete console-teammate' }).click();
    await page.getByRole('rowheader', { name: 'console-teammate' }).waitFor({ state: 'detached' });

    await open(`/apps/${appId}/download-tokens`, 'Download tokens of Ops Demo');
    await page.getByLabel('Token name (optional)').fill('website');
    await page.getByRole('button', { name: 'Create download token' }).click();
    assert.match((await page.locator('code.secret').textContent()) ?? '', /^dl_/);
    await page.getByRole('rowheader', { name: 'website' }).waitFor();

    await open(`/apps/${appId}/sdk-keys`, 'SDK keys of Ops Demo');
    await page.getByRole('button', { name: 'Create SDK key' }).click();
    const key = (await page.locator('code.secret').textContent()) ?? '';
    assert.match(key, /^pk_live_/);
    const sdk = await service.request('GET', '/v1/sdk/ota/check?channel=production&version=0', { headers: { 'x-api-key': key } });
    assert.equal(sdk.status, 200, sdk.text);
    await page.getByRole('button', { name: /^Rotate pk_live_/ }).click();
    await page.getByText(/^Rotated pk_live_.*: the old key works for 24 hours\./).waitFor();
    assert.notEqual(await page.locator('code.secret').textContent(), key, 'the new key is shown');
    await shoot('sdk-keys');
    const rotated = (await page.locator('code.secret').textContent()) ?? '';
    await page.getByRole('button', { name: `Revoke ${rotated.slice(0, 12)}` }).click();
    await page.getByText(/^Revoked pk_live_.*: it stops working at once\./).waitFor();
    const revoked = await service.request('GET', '/v1/sdk/ota/check?channel=production&version=0', { headers: { 'x-api-key': rotated } });
    assert.equal(revoked.status, 401, revoked.text);

    await open('/audit', 'Audit trail');
    await page.getByRole('cell', { name: 'CreateTeamUser' }).waitFor();
    await page.getByRole('cell', { name: 'RevokeApiToken' }).waitFor();
    await shoot('audit');
  });

  it('adds a webhook whose secret is shown once, lists its delivery of a release published, and removes it', async () => {
    const received: { signature: string; body: string }[] = [];
    const receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        received.push({ signature: String(request.headers['x-ota-signature']), body: Buffer.concat(chunks).toString('utf8') });
        response.writeHead(200).end('ok');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    try {
      await open(`/apps/${appId}/webhooks`, 'Webhooks of Ops Demo');
      await page.getByText('No webhooks.').waitFor();
      await page.getByLabel('URL', { exact: true }).fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`);
      await page.getByLabel('Description (optional)').fill('console-hook');
      await page.getByRole('group', { name: 'Events' }).getByLabel('artifact.verified').uncheck();
      await page.getByRole('button', { name: 'Add webhook' }).click();
      const secret = (await page.locator('code.secret').textContent()) ?? '';
      assert.match(secret, /^whsec_/);
      const row = page.getByRole('row', { name: /console-hook/ });
      await row
        .getByRole('cell', { name: /release\.published, release\.yanked, rollout\.changed, rollout\.halted, artifact\.refused/ })
        .waitFor();
      await page.getByRole('button', { name: 'I have copied it' }).click();
      assert.ok(!(await page.content()).includes(secret), 'the secret is not shown again');

      await release('1.2.0');
      const end = Date.now() + 20_000;
      while (!received.some((r) => r.body.includes('"release.published"')) && Date.now() < end)
        await new Promise((r) => setTimeout(r, 100));
      const delivered = received.find((r) => r.body.includes('"release.published"'));
      assert.ok(delivered, 'the receiver got release.published');
      assert.ok(
        verifySignature(secret, delivered.signature, delivered.body, Math.floor(Date.now() / 1000)),
        'signed with the secret shown',
      );

      await page.getByRole('button', { name: 'Deliveries of console-hook' }).click();
      const deliveries = page.getByRole('table', { name: 'Last deliveries, newest first' });
      for (let i = 0; i < 40 && !(await deliveries.getByRole('row', { name: /release\.published .*delivered HTTP 200/ }).count()); i++) {
        await page.getByRole('button', { name: 'Reload deliveries' }).click();
        await page.waitForTimeout(250);
      }
      await deliveries.getByRole('row', { name: /release\.published .*delivered HTTP 200/ }).waitFor({ timeout: 1000 });
      await shoot('webhooks');

      await page.getByRole('button', { name: 'Remove console-hook' }).click();
      await page.getByText('Removed console-hook: it gets no more events.').waitFor();
      await page.getByText('No webhooks.').waitFor();
    } finally {
      receiver.close();
      receiver.closeAllConnections();
    }
  });

  it('pins a device to a version, and its check follows; unpinned, it gets what everyone gets', async () => {
    await open(`/apps/${appId}/pins`, 'Device pins of Ops Demo');
    await page.getByText('No device is pinned.').waitFor();
    assert.equal(await check('qa-device'), '1.2.0', 'everyone on stable is offered 1.2.0');
    await page.getByLabel('Device id').fill('qa-device');
    await page.getByLabel('Hold at version').selectOption('1.0.0');
    await page.getByLabel('Note (optional)').fill('support case 42');
    await page.getByRole('button', { name: 'Pin device' }).click();
    await page.getByText('Pinned qa-device.').waitFor();
    await page
      .getByRole('table', { name: /Device pins \(1 of \d+\)/ })
      .getByRole('row', { name: /qa-device its own 1\.0\.0 support case 42 .* you \(admin\)/ })
      .waitFor();
    assert.equal(await check('qa-device'), 'none', 'held at 1.0.0, the device is offered nothing newer');
    assert.equal(await check('other-device'), '1.2.0', 'other devices are unaffected');
    await shoot('device-pins');

    await page.getByRole('button', { name: 'Unpin qa-device' }).click();
    await page.getByText(/^Unpinned qa-device/).waitFor();
    await page.getByText('No device is pinned.').waitFor();
    assert.equal(await check('qa-device'), '1.2.0');
  });

  it('shows every client’s snippet for the app, ready to copy', async () => {
    await open(`/apps/${appId}/clients`, 'Client setup of Ops Demo');
    for (const name of ['tauri', 'electron', 'sparkle', 'velopack', 'faynosync', 'koolbase'])
      assert.ok(((await page.locator(`[data-snippet="${name}"]`).textContent()) ?? '').includes(service.url), name);
    const tauri = JSON.parse((await page.locator('[data-snippet="tauri"]').textContent()) ?? '');
    assert.equal(
      tauri.plugins.updater.endpoints[0],
      `${service.url}/api/sync/ota/ops-demo/{{target}}/{{arch}}/{{current_version}}?bundle_type={{bundle_type}}`,
    );
    await page.getByRole('button', { name: 'Copy the Tauri v2 (tauri.conf.json) snippet' }).click();
    await page.getByText('Copied.').waitFor();
    assert.equal(await page.evaluate('navigator.clipboard.readText()'), await page.locator('[data-snippet="tauri"]').textContent());
    await shoot('clients');

    await page.setViewportSize({ width: 390, height: 780 });
    await open(`/apps/${appId}/stats`, 'Telemetry of Ops Demo');
    await page.locator('.chart canvas').first().waitFor();
    await shoot('telemetry-phone');
    assert.deepEqual(problems, [], 'no CSP violation and no script error on any screen');
  });
});
