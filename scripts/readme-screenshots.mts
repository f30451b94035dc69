// Regenerates the README's screenshots (docs/images/) from the real thing: the food-ordering app in
// process, an order placed from the tracker page, the console's view of its execution, in Debian's
// chromium. Run: node --import tsx scripts/readme-screenshots.mts
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../test/support/in-process.ts';
import { launchChromium } from '../test/support/playwright.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs/images');
mkdirSync(out, { recursive: true });
process.env['SB_ORDER_WAIT_SECONDS'] = '1';
const t = await startTestServer(join(root, 'examples/food-ordering'));
const browser = await launchChromium();
try {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 1100, height: 460 });
  await page.goto(`${t.url}/?apiKey=${encodeURIComponent(t.apiKey)}`);
  await page.click('#simulate');
  await page.locator('li.order .steps li[data-status="DELIVERED"].done').waitFor({ timeout: 30_000 });
  await page.screenshot({ path: join(out, 'order-tracker.png') });

  const console = await browser.newPage();
  await console.setViewportSize({ width: 1280, height: 900 });
  const listed = await fetch(`${t.url}/console/api/call`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': t.apiKey },
    body: JSON.stringify({ service: 'states', target: 'AWSStepFunctions.ListExecutions', input: { stateMachineArn: 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderProcessing' } }),
  });
  const arn = ((await listed.json()) as { executions: { executionArn: string }[] }).executions[0]?.executionArn ?? '';
  await console.goto(`${t.url}/console/executions/${encodeURIComponent(arn)}?apiKey=${encodeURIComponent(t.apiKey)}`);
  await console.locator('svg g[data-state="Notify Delivered"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
  await console.screenshot({ path: join(out, 'console-execution.png') });
  process.stdout.write(`screenshots written to ${out}\n`);
} finally {
  await browser.close();
  await t.close();
}
