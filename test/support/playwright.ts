/**
 * Debian's chromium driven by playwright-core, for the page and console tests. Headless, as root,
 * on a closed network: without these flags chromium stalls on background requests or refuses to
 * start. A fresh profile per launch (playwright's persistent context owns `--user-data-dir`).
 * Screenshots go to `test-artifacts/` (kept by CI as artifacts, ignored by git).
 * Missing chromium: skipped loudly, or a failure when CI=true (`requireBrowser`).
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { requireBrowser, type BrowserRequirement } from '../push/support/browsers.ts';
import { REPO_ROOT } from './server-process.ts';

export const CHROMIUM: BrowserRequirement = requireBrowser('Chromium', ['chromium', 'chromium-browser', 'google-chrome'], 'apt-get install chromium');

const FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];

export interface TestBrowser {
  readonly context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<TestBrowser> {
  const executablePath = CHROMIUM.require();
  const profile = mkdtempSync(join(tmpdir(), 'sb-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 } });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      // Errors of the page's own scripts fail loudly in the test output.
      page.on('pageerror', (error) => process.stderr.write(`[page error] ${page.url()}: ${error.message}\n`));
      return page;
    },
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Saves a full-page screenshot as `test-artifacts/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = join(REPO_ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
