/**
 * The flight board (examples/flight-status/public) in Debian's chromium, as a guest: the page gets
 * IAM guest credentials, signs its GraphQL requests and its real-time connection with SigV4 in the
 * browser (WebCrypto, /sdk/switchboard.js), lists the flights already stored, and shows each flight
 * status event put on the `flights` bus (AWS SDK PutEvents → rule with input transformer →
 * createFlight → onCreateFlight) without a reload. Screenshot: test-artifacts/flight-board.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { eventBridgeClient } from '../bus/api-support.ts';
import { CHROMIUM, launchChromium, screenshot, type TestBrowser } from '../support/playwright.ts';

let t: TestServer | undefined;
let browser: TestBrowser | undefined;

before(async () => {
  if (CHROMIUM.skip !== false) return;
  t = await startTestServer(join(REPO_ROOT, 'examples/flight-status'));
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await t?.close();
});

async function putStatus(change: Record<string, string>): Promise<void> {
  assert.ok(t);
  const eb = eventBridgeClient(t.url, t.accessKey);
  try {
    const out = await eb.send(new PutEventsCommand({ Entries: [{ EventBusName: 'flights', Source: 'flight.operations', DetailType: 'Flight Status Changed', Detail: JSON.stringify(change) }] }));
    assert.equal(out.FailedEntryCount, 0);
  } finally {
    eb.destroy();
  }
}

test('the flight board lists stored flights and shows status events as they arrive, as a guest', { skip: CHROMIUM.skip, timeout: 60_000 }, async () => {
  assert.ok(t && browser);
  const base = { airline: 'UA', origin: 'SFO', destination: 'JFK', scheduledDeparture: '2026-12-05T16:00:00.000Z' };
  // Stored before the page opens: it must come from listFlights.
  await putStatus({ ...base, id: 'UA-100', flightNumber: 'UA 100', status: 'ON TIME', gate: 'B12' });
  const page = await browser.newPage();
  await page.goto(`${t.url}/`);
  await page.locator('tr[data-flight-id="UA-100"]').waitFor({ timeout: 15_000 });
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.locator('#connection').getAttribute('data-status'), 'connected');

  await putStatus({ ...base, id: 'UA-100', flightNumber: 'UA 100', status: 'DELAYED', gate: 'B14' });
  await putStatus({ ...base, id: 'LH-454', airline: 'LH', flightNumber: 'LH 454', origin: 'FRA', destination: 'SFO', status: 'BOARDING', gate: 'A3' });
  await page.locator('tr[data-flight-id="UA-100"][data-status="DELAYED"]').waitFor({ timeout: 15_000 });
  await page.locator('tr[data-flight-id="LH-454"][data-status="BOARDING"]').waitFor({ timeout: 15_000 });
  assert.equal(await page.locator('tr[data-flight-id="UA-100"] .gate').textContent(), 'B14');
  assert.equal(await page.locator('#flights tr').count(), 2);
  assert.equal(await page.locator('#error').isHidden(), true);
  await screenshot(page, 'flight-board');
});
