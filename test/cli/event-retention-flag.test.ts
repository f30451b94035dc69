/**
 * `switchboard start --event-retention <duration>`: how long delivered bus events and their
 * attempt records are kept (src/bus/retention/). A value that is not a duration of at least a
 * minute, nor `forever`, is a usage error naming what is expected; a valid one starts the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../support/free-port.ts';
import { runStart } from '../support/cli-start.ts';

const start = (args: readonly string[]) => runStart(args, { until: /listening on http/ });

test('a value that is not a duration is a usage error saying what is expected', { timeout: 70_000 }, async () => {
  for (const bad of ['24', '10x', '30s', '-1h']) {
    const { output, code } = await start(['--port', '0', '--data', '/nonexistent-not-used', '--event-retention', bad]);
    assert.notEqual(code, 0, bad);
    assert.match(output, new RegExp(`--event-retention expects a duration of at least a minute such as 90m, 24h or 30d, or "forever", got "${bad}"`));
  }
});

test('a duration or "forever" starts the server', { timeout: 70_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'sb-retention-flag-'));
  try {
    for (const good of ['90m', 'forever']) {
      const { output } = await start(['--port', String(await freePort()), '--data', data, '--event-retention', good]);
      assert.match(output, /listening on http/, good);
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
