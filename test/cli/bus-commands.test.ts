/**
 * `switchboard dlq` and `switchboard trace` as an operator runs them: the real CLI process against
 * a running server, credentials read from the server's `<data>/credentials.json`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { REPO_ROOT, RUN_TO_END } from '../support/server-process.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { callBusApi } from '../../src/cli/bus-client.ts';

const run = promisify(execFile);
let t: TestServer;
let eb: EventBridgeClient;

const cli = async (...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const out = await run(process.execPath, ['bin/switchboard.js', ...args, '--url', t.url, '--data', t.dataDir], RUN_TO_END);
    return { code: 0, ...out };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

/** Waits (through the API, not the slower CLI) until the event is a dead letter; answers `dlq list`'s line for it. */
async function deadLetterLine(eventId: string): Promise<string> {
  for (const until = Date.now() + 15_000; Date.now() < until; await new Promise((r) => setTimeout(r, 50))) {
    const page = await callBusApi({ url: t.url, credentials: t.accessKey }, 'SwitchboardEvents.ListDeadLetters', {});
    if ((page['DeadLetters'] as { EventId: string }[]).some((l) => l.EventId === eventId)) {
      const line = (await cli('dlq', 'list')).stdout.split('\n').find((l) => l.includes(eventId));
      if (line !== undefined) return line;
    }
  }
  throw new Error(`no dead letter for ${eventId}`);
}

describe('switchboard dlq / trace', () => {
  before(async () => {
    t = await startTestServer(join(REPO_ROOT, 'test/fixtures/apps/targets'));
    eb = new EventBridgeClient({ endpoint: t.url, region: 'us-east-1', credentials: t.accessKey });
  });
  after(async () => {
    eb.destroy();
    await t.close();
  });

  test('dlq list shows the letter; show prints it; redrive sends it back to delivery; delete removes it', async () => {
    const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: 't.missing', DetailType: 'x', Detail: '{}' }] }));
    const eventId = out.Entries?.[0]?.EventId ?? '';
    const line = await deadLetterLine(eventId);
    assert.match(line, /rule\/toMissing → nofn\tNO_RESOURCE: Function not found/);
    const id = line.split('\t')[0] ?? '';

    const shown = await cli('dlq', 'show', id);
    assert.equal(shown.code, 0);
    assert.equal(JSON.parse(JSON.parse(shown.stdout).Event).id, eventId);

    // The function is still missing, so the redriven delivery is dead-lettered again, under a new id.
    assert.equal((await cli('dlq', 'redrive', id)).stdout, 'redriven: 1\n');
    const again = await deadLetterLine(eventId);
    const newId = again.split('\t')[0] ?? '';
    assert.notEqual(newId, id);
    assert.equal((await cli('dlq', 'delete', newId)).stdout, 'deleted: 1\n');
    assert.equal((await cli('dlq', 'list', '--json')).stdout.includes(eventId), false);
  });

  test('trace prints which rules matched, which did not and why, and the attempts', async () => {
    const out = await eb.send(new PutEventsCommand({ Entries: [{ Source: 't.missing', DetailType: 'x', Detail: '{}' }] }));
    const eventId = out.Entries?.[0]?.EventId ?? '';
    await deadLetterLine(eventId);
    const traced = await cli('trace', eventId);
    assert.equal(traced.code, 0, traced.stderr);
    const trace = JSON.parse(traced.stdout) as { rules: { name: string; matched: boolean; failedField?: string; targets?: { attempts: { outcome: string; code: string }[] }[] }[] };
    const missing = trace.rules.find((r) => r.name === 'toMissing');
    assert.deepEqual(missing?.targets?.[0]?.attempts.map((a) => [a.outcome, a.code]), [['dead-lettered', 'NO_RESOURCE']]);
    assert.equal(trace.rules.find((r) => r.name === 'toHttp')?.failedField, 'source');
  });

  test('errors are named: an unknown event, an unreachable server', async () => {
    const unknown = await cli('trace', 'nope');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /ResourceNotFoundException: Event nope is not in event bus default\./);
    const down = await run(process.execPath, ['bin/switchboard.js', 'dlq', 'list', '--url', 'http://127.0.0.1:9', '--data', t.dataDir], RUN_TO_END).catch((e: { code: number; stderr: string }) => e);
    assert.equal((down as { code: number }).code, 1);
    assert.match((down as { stderr: string }).stderr, /cannot reach the server/);
  });
});
