/**
 * The channel chat of seed 004 across two regions, in two chromium pages: `switchboard start
 * examples/global-pubsub --region a` and `--region b` as two real processes linked both ways; a
 * message sent from the page of one region appears, once, on the page of the other (and on its
 * own); the region selector moves a page to the other region's endpoint (cross-origin GraphQL and
 * WebSocket). Screenshots: test-artifacts/global-chat-a.png, global-chat-b.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startSwitchboardProcess, type SwitchboardProcess } from '../support/server-process.ts';
import { CHROMIUM, launchChromium, screenshot, type TestBrowser } from '../support/playwright.ts';
import { freePort } from '../support/free-port.ts';

const API_KEY = 'da2-globalpubsubdevkey0000000000';
let browser: TestBrowser | undefined;
let procs: SwitchboardProcess[] = [];
const dirs: string[] = [];

before(async () => {
  if (CHROMIUM.skip !== false) return;
  const [a, b] = [await freePort(), await freePort()];
  const env = { SB_GLOBAL_PUBSUB_PORT_A: String(a), SB_GLOBAL_PUBSUB_PORT_B: String(b) };
  const start = async (name: string, port: number): Promise<SwitchboardProcess> => {
    const dir = mkdtempSync(join(tmpdir(), `sb-chat-${name}-`));
    dirs.push(dir);
    return startSwitchboardProcess(['examples/global-pubsub', '--region', name, '--port', String(port)], dir, 60_000, 'start', env);
  };
  procs = await Promise.all([start('a', a), start('b', b)]);
  browser = await launchChromium();
});

after(async () => {
  if (process.env['SB_TEST_DEBUG']) for (const p of procs) process.stderr.write(p.output());
  await browser?.close();
  for (const p of procs) await p.stop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function openChat(url: string): Promise<Page> {
  assert.ok(browser);
  const page = await browser.newPage();
  await page.goto(`${url}/?apiKey=${API_KEY}&channel=tech`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15_000 });
  return page;
}

async function send(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.click('#send button');
}

const message = (page: Page, text: string) => page.locator(`#messages li[data-text="${text}"]`);

test('a message sent in one region reaches the page of the other region, once, and the region selector switches endpoints', { skip: CHROMIUM.skip, timeout: 90_000 }, async () => {
  const [a, b] = procs;
  assert.ok(a && b);
  const pageA = await openChat(a.url);
  const pageB = await openChat(b.url);
  assert.equal(await pageA.getAttribute('body', 'data-region'), 'us-west-2');
  assert.equal(await pageB.getAttribute('body', 'data-region'), 'ap-southeast-2');

  await send(pageA, 'hello from Oregon');
  await message(pageB, 'hello from Oregon').waitFor({ timeout: 15_000 });
  await message(pageA, 'hello from Oregon').waitFor({ timeout: 15_000 });
  await send(pageB, 'hello from Sydney');
  await message(pageA, 'hello from Sydney').waitFor({ timeout: 15_000 });
  await message(pageB, 'hello from Sydney').waitFor({ timeout: 15_000 });
  assert.equal(await message(pageA, 'hello from Sydney').getAttribute('data-from'), 'ap-southeast-2');

  // Page A moves to region b (cross-origin: GraphQL over CORS, WebSocket to the other port).
  await pageA.selectOption('#region', 'ap-southeast-2');
  await pageA.waitForSelector('body[data-ready="true"][data-region="ap-southeast-2"]', { timeout: 15_000 });
  assert.match((await pageA.textContent('#connection')) ?? '', /^connected · ap-southeast-2$/);
  await send(pageA, 'now talking to Sydney');
  await message(pageB, 'now talking to Sydney').waitFor({ timeout: 15_000 });
  await message(pageA, 'now talking to Sydney').waitFor({ timeout: 15_000 });

  // A loop or a duplicate delivery would show a second copy within this wait.
  await new Promise((r) => setTimeout(r, 1500));
  for (const [page, texts] of [
    [pageA, ['hello from Sydney', 'now talking to Sydney']],
    [pageB, ['hello from Oregon', 'hello from Sydney', 'now talking to Sydney']],
  ] as const) {
    for (const text of texts) assert.equal(await message(page, text).count(), 1, `${text} once`);
    assert.equal(await page.locator('#error').isHidden(), true);
  }
  await screenshot(pageA, 'global-chat-a');
  await screenshot(pageB, 'global-chat-b');
});
