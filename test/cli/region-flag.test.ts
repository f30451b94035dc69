/**
 * `switchboard start <app> --region <name>`: picks one of the app's regional deployments (`regions`
 * in its config): the config file sees SWITCHBOARD_REGION while it is read (global-pubsub picks its
 * region and its peer link from it), the server listens on the entry's port when --port is absent,
 * and an undeclared name is a usage error naming the declared ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { runStart } from '../support/cli-start.ts';

const run = (args: string[], env: Record<string, string>, until: RegExp, then?: (output: string) => Promise<void>) => runStart(args, { env, until, ...(then !== undefined ? { then } : {}) });

test('--region picks the deployment: its region and its port (the peer link: test/pages/global-chat.test.ts)', { timeout: 70_000 }, async () => {
  const [a, b] = [await freePort(), await freePort()];
  const data = mkdtempSync(join(tmpdir(), 'sb-region-'));
  try {
    let described: { region?: string; regions?: Record<string, { region: string; url?: string }> } = {};
    const { output } = await run(['examples/global-pubsub', '--region', 'b', '--data', data], { SB_GLOBAL_PUBSUB_PORT_A: String(a), SB_GLOBAL_PUBSUB_PORT_B: String(b) }, /listening on/, async () => {
      described = (await (await fetch(`http://127.0.0.1:${b}/sdk/app.json`)).json()) as typeof described;
    });
    assert.match(output, new RegExp(`Switchboard listening on http://127\\.0\\.0\\.1:${b}\\b`));
    assert.equal(described.region, 'ap-southeast-2');
    assert.deepEqual(described.regions, { a: { region: 'us-west-2', url: `http://127.0.0.1:${a}` }, b: { region: 'ap-southeast-2', url: `http://127.0.0.1:${b}` } });
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test('--region with a name the app does not declare is a usage error that lists the declared names', { timeout: 70_000 }, async () => {
  const { output, code } = await run(['examples/global-pubsub', '--region', 'mars', '--data', join(tmpdir(), 'sb-region-unused')], {}, /$^/);
  assert.equal(code, 2);
  assert.match(output, /--region mars: examples\/global-pubsub\/switchboard\.config\.ts declares the regions a, b/);
});
