/**
 * `switchboard start --event-retention <duration>` (how long delivered bus events and their
 * attempt records are kept, src/bus/retention/) and `--execution-retention <duration>` (ended
 * workflow executions): a value that is not a duration of at least a minute, nor `forever`, is a
 * usage error naming the flag and what is expected; valid ones start the server.
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
  for (const [flag, bad] of [['event-retention', '24'], ['event-retention', '10x'], ['event-retention', '30s'], ['execution-retention', '1 d']]) {
    const { output, code } = await start(['--port', '0', '--data', '/nonexistent-not-used', `--${flag}`, bad as string]);
    assert.notEqual(code, 0, bad);
    assert.ok(output.includes(`--${flag} expects a duration of at least a minute such as 90m, 24h or 30d, or "forever", got "${bad}"`), output);
  }
});

test('a duration or "forever" starts the server', { timeout: 70_000 }, async () => {
  const data = mkdtempSync(join(tmpdir(), 'sb-retention-flag-'));
  try {
    for (const [events, executions] of [['90m', '30d'], ['forever', 'forever']]) {
      const { output } = await start(['--port', String(await freePort()), '--data', data, '--event-retention', events as string, '--execution-retention', executions as string]);
      assert.match(output, /listening on http/, `${events} ${executions}`);
    }
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});
