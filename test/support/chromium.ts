/** Debian's Chromium driven by playwright-core, for the console's browser tests. */
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Where the console's screenshots are kept (gitignored); docs/console/*.png are copies of some of them. */
export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-artifacts', 'console');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless, with nothing running in the background, in a fresh profile; the clipboard allowed (copy buttons). */
export async function launchChromium(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1200, height: 760 },
    permissions: ['clipboard-read', 'clipboard-write'],
  });
}

/** Collects what makes a page fail: console errors (CSP violations are reported there), uncaught errors. */
export function watchProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** Signs in on the console's sign-in screen. */
export async function consoleSignIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('User name', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
