/**
 * `switchboard start --event-retention <duration>`: how long delivered bus events and their
 * attempt records are kept (src/bus/retention/). A value that is not a duration of at least a
 * minute, nor `forever`, is a usage error naming what is expected; a valid one starts the server.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../support/server-process.ts';
import { freePort } from '../support/free-port.ts';

/** Runs `switchboard start`; stops it once it listens. */
function start(args: readonly string[]): Promise<{ output: string; code: number | null }> {
  const child = spawn(process.execPath, ['bin/switchboard.js', 'start', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    const onData = (c: Buffer): void => {
      output += c.toString();
      if (/listening on http/.test(output)) child.kill('SIGTERM');
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ output, code });
    });
  });
}

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
