/**
 * The console in a real browser (Debian's chromium through playwright-core) on the food-ordering
 * app: an order placed through GraphQL shows up in the live event stream; its trace shows the rule
 * that matched and the workflow target delivered; the OrderProcessing execution it started shows
 * its state graph lit up and its history; a dead letter (a rule whose state machine target does not
 * exist yet, no retries) is redriven from the console once the machine exists, and is delivered.
 * Screenshots: test-artifacts/console-events.png, console-execution.png, console-dead-letters.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateStateMachineCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { Page } from 'playwright-core';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { CHROMIUM, launchChromium, screenshot, type TestBrowser } from '../support/playwright.ts';
import { buildConsoleIfNeeded, consoleCall, waitFor } from './console-support.ts';

process.env['SB_ORDER_WAIT_SECONDS'] = '1';
const LATE_MACHINE = 'arn:aws:states:us-east-1:000000000000:stateMachine:LateMachine';

let t: TestServer;
let browser: TestBrowser;
let page: Page;

before(async () => {
  if (CHROMIUM.skip !== false) return;
  await buildConsoleIfNeeded();
  t = await startTestServer(join(REPO_ROOT, 'examples/food-ordering'));
  browser = await launchChromium();
  page = await browser.newPage();
});
after(async () => {
  await browser?.close();
  await t?.close();
});

test('an order shows in the event stream, its trace, and its execution graph with lit states and history', { skip: CHROMIUM.skip, timeout: 90_000 }, async () => {
  const created = await t.graphql({ query: 'mutation { createOrder(input: { products: [{ name: "ramen", quantity: 2 }] }) { id } }' });
  assert.equal(created.json.errors, undefined, JSON.stringify(created.json.errors));
  const orderId: string = created.json.data.createOrder.id;

  await page.goto(`${t.url}/console?apiKey=${encodeURIComponent(t.apiKey)}`);
  // The key left the address bar, and the stream is the first view.
  await page.waitForURL((url) => url.pathname === '/console/events' && !url.search.includes('apiKey'));
  const row = page.locator('tr[data-detail-type="order.created"]', { hasText: orderId });
  await row.waitFor({ timeout: 15_000 });
  const eventId = await row.getAttribute('data-event-id');
  assert.ok(eventId);
  // Later events (order.updated from the workflow) arrive on top while the page polls.
  await page.locator('tr[data-detail-type="order.updated"]').first().waitFor({ timeout: 15_000 });
  await screenshot(page, 'console-events');

  await row.click();
  await page.waitForURL(`**/console/events/default/${eventId}`);
  const rule = page.locator('li[data-rule="OrderHandlerRule"][data-matched="true"]');
  await rule.locator('.badge-delivered').waitFor({ timeout: 15_000 });
  assert.match((await rule.locator('[data-target-id="OrderProcessing"]').textContent()) ?? '', /arn:aws:states:.*:stateMachine:OrderProcessing/);
  assert.equal(await page.locator('li[data-rule="UpdateOrder"]').getAttribute('data-matched'), 'false');

  // From the trace to the executions of OrderProcessing, where this event's execution is marked.
  await rule.getByRole('link', { name: /executions/ }).click();
  const execution = page.locator('table.executions tr.highlight');
  await execution.waitFor({ timeout: 15_000 });
  await execution.getByRole('link').click();
  await page.waitForURL('**/console/executions/arn*');
  await page.locator('svg g[data-state="Payment"][data-status="succeeded"]').waitFor({ timeout: 15_000 });
  await page.locator('tr[data-history-type="ExecutionStarted"]').waitFor();
  // Let it finish (three 1-second waits): every state lit, the execution SUCCEEDED.
  await page.locator('svg g[data-state="Notify Delivered"][data-status="succeeded"]').waitFor({ timeout: 30_000 });
  await page.locator('tr[data-history-type="ExecutionSucceeded"]').waitFor({ timeout: 15_000 });
  const statuses = await page.locator('svg g[data-state]').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-status')));
  assert.equal(statuses.length, 11);
  assert.ok(statuses.every((s) => s === 'succeeded'), statuses.join(','));
  assert.ok((await page.locator('svg .edge.taken').count()) >= 10, 'the edges taken are drawn as taken');
  await screenshot(page, 'console-execution');
});

test('a dead letter is redriven from the console and then delivered', { skip: CHROMIUM.skip, timeout: 90_000 }, async () => {
  const credentials = t.accessKey;
  const eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const sfn = new SFNClient({ endpoint: t.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const key = { 'x-api-key': t.apiKey };
  try {
    // A rule whose target is a state machine that does not exist yet, with no retries: dead letter.
    await eb.send(new PutRuleCommand({ Name: 'ConsoleDlqRule', EventPattern: JSON.stringify({ source: ['console.test'] }) }));
    await eb.send(new PutTargetsCommand({ Rule: 'ConsoleDlqRule', Targets: [{ Id: 'late', Arn: LATE_MACHINE, RetryPolicy: { MaximumRetryAttempts: 0 } }] }));
    const put = await eb.send(new PutEventsCommand({ Entries: [{ Source: 'console.test', DetailType: 'dlq.test', Detail: JSON.stringify({ n: 1 }) }] }));
    const eventId = put.Entries?.[0]?.EventId ?? '';
    const letter = await waitFor('the dead letter', async () => {
      const r = await consoleCall(t.url, key, 'events', 'SwitchboardEvents.ListDeadLetters', {});
      return (r.json.DeadLetters as any[]).find((l) => l.EventId === eventId);
    });
    assert.equal(letter.Attributes.ERROR_CODE, 'NO_RESOURCE');

    await page.getByRole('link', { name: 'Dead letters' }).click();
    const letterRow = page.locator(`tr[data-letter-id="${letter.Id}"]`);
    await letterRow.waitFor({ timeout: 15_000 });
    assert.match((await page.locator('[data-target="late"][data-rule="ConsoleDlqRule"] .count').textContent()) ?? '', /^1 dead letter$/);
    assert.match((await letterRow.textContent()) ?? '', /NO_RESOURCE/);
    await screenshot(page, 'console-dead-letters');

    // Fix the cause (create the machine), then redrive from the page.
    await sfn.send(new CreateStateMachineCommand({ name: 'LateMachine', roleArn: 'arn:aws:iam::000000000000:role/x', definition: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }) }));
    await letterRow.getByRole('button', { name: 'Redrive' }).click();
    await page.getByRole('status').filter({ hasText: 'Redriven 1.' }).waitFor({ timeout: 10_000 });
    await letterRow.waitFor({ state: 'detached', timeout: 10_000 });

    // The letter is gone, and the trace records the redriven attempt as delivered.
    assert.deepEqual((await consoleCall(t.url, key, 'events', 'SwitchboardEvents.ListDeadLetters', {})).json.DeadLetters.filter((l: any) => l.EventId === eventId), []);
    const outcomes = await waitFor('the delivered attempt', async () => {
      const trace = await consoleCall(t.url, key, 'events', 'SwitchboardEvents.GetEventTrace', { EventId: eventId });
      const attempts: { outcome: string }[] = trace.json.rules.find((r: any) => r.name === 'ConsoleDlqRule').targets[0].attempts;
      return attempts.some((a) => a.outcome === 'delivered') ? attempts.map((a) => a.outcome) : undefined;
    });
    assert.deepEqual(outcomes, ['dead-lettered', 'delivered']);
    const executions = await consoleCall(t.url, key, 'states', 'AWSStepFunctions.ListExecutions', { stateMachineArn: LATE_MACHINE });
    assert.equal(executions.json.executions.length, 1, 'the redrive started the machine once');
  } finally {
    eb.destroy();
    sfn.destroy();
  }
});
