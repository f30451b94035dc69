/**
 * `IdempotencyKey` on PutEvents entries (a Switchboard extension, docs/bus-api.md): entries with
 * the same key on the same bus get the same EventId and the event is appended and delivered once,
 * within one call, across calls and across a restart on the same data folder; the same key on
 * another bus is another event; an invalid key fails its entry alone with `InvalidArgument`.
 * Runs the `targets` fixture app, whose `toFunction` rule sends `t.fn` events to a function that
 * records its calls.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { silentLogger } from '../../src/core/index.ts';
import { loadApp, type AppDefinition } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';
import { callBusApi } from '../../src/cli/bus-client.ts';
import { idempotentEventId } from '../../src/bus/index.ts';
import { createSqliteEventLog, eventLogMigrations, openDatabase } from '../../src/storage/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';

const APP = join(REPO_ROOT, 'test/fixtures/apps/targets');
const calls = ((globalThis as Record<string, unknown>)['__sbRecordCalls'] ??= []) as { event: { id?: string; detail?: { n?: number } } }[];
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

type Result = { EventId?: string; ErrorCode?: string; ErrorMessage?: string };

let app: AppDefinition;
let dataDir: string;
let server: RunningSwitchboard;

const start = async (): Promise<void> => {
  server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger });
};
const credentials = (): { accessKeyId: string; secretAccessKey: string } => server.credentials.accessKeys[0] as { accessKeyId: string; secretAccessKey: string };

/** PutEvents as raw AWS JSON (what a client without the AWS SDK sends). */
async function put(entries: readonly object[]): Promise<Result[]> {
  const out = await callBusApi({ url: server.url, credentials: credentials() }, 'AWSEvents.PutEvents', { Entries: entries });
  return out['Entries'] as Result[];
}

const fnEntry = (n: number, key?: unknown, bus?: string): object => ({
  Source: 't.fn',
  DetailType: 'idempotency',
  Detail: JSON.stringify({ n }),
  ...(key !== undefined ? { IdempotencyKey: key } : {}),
  ...(bus !== undefined ? { EventBusName: bus } : {}),
});

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 10_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * Puts an unkeyed sentinel event behind the ones under test and waits for its delivery: the log
 * is dispatched in order, so by then every event before it has been dispatched too.
 */
async function deliveredUpToHere(n: number): Promise<void> {
  const [sentinel] = await put([fnEntry(n)]);
  await waitFor('the sentinel delivery', () => calls.find((c) => c.event.id === sentinel?.EventId));
}

const callsFor = (id: string | undefined): number => calls.filter((c) => c.event.id === id).length;

async function logRecordsWithId(bus: string, id: string | undefined): Promise<number> {
  const db = openDatabase({ path: join(dataDir, 'switchboard.db') }, [eventLogMigrations]);
  try {
    return (await createSqliteEventLog(db).read(`bus:${bus}`, 0, 100_000)).filter((r) => r.id === id).length;
  } finally {
    db.close();
  }
}

describe('PutEvents IdempotencyKey', () => {
  before(async () => {
    app = await loadApp(APP);
    dataDir = mkdtempSync(join(tmpdir(), 'sb-idempotency-'));
    await start();
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the same key twice in one call yields one EventId, one logged event and one delivery', async () => {
    const out = await put([fnEntry(1, 'same-call'), fnEntry(2, 'same-call')]);
    assert.equal(out.length, 2);
    const [first, second] = out;
    assert.match(first?.EventId ?? '', UUID);
    assert.equal(second?.EventId, first?.EventId);
    assert.equal(first?.EventId, idempotentEventId('default', 'same-call'), 'derived from (bus, key)');
    await deliveredUpToHere(3);
    assert.equal(callsFor(first?.EventId), 1, 'the target is invoked once');
    assert.equal(calls.find((c) => c.event.id === first?.EventId)?.event.detail?.n, 1, 'the first entry wins');
    assert.equal(await logRecordsWithId('default', first?.EventId), 1);
  });

  test('the same key in separate calls yields the same EventId and one delivery', async () => {
    const [a] = await put([fnEntry(10, 'separate-calls')]);
    const [b] = await put([fnEntry(11, 'separate-calls')]);
    // Concurrent calls share one group commit: the dedupe must hold inside it too.
    const [c, d] = await Promise.all([put([fnEntry(12, 'separate-calls')]), put([fnEntry(13, 'separate-calls')])]);
    assert.ok(a?.EventId);
    for (const r of [b, c?.[0], d?.[0]]) assert.equal(r?.EventId, a.EventId);
    await deliveredUpToHere(14);
    assert.equal(callsFor(a.EventId), 1);
    assert.equal(await logRecordsWithId('default', a.EventId), 1);
  });

  test('the same key after a restart on the same data folder yields the same EventId and no second delivery', async () => {
    const [before] = await put([fnEntry(20, 'across-restart')]);
    await deliveredUpToHere(21);
    assert.equal(callsFor(before?.EventId), 1);
    await server.stop();
    await start();
    const [afterRestart] = await put([fnEntry(22, 'across-restart')]);
    assert.equal(afterRestart?.EventId, before?.EventId);
    await deliveredUpToHere(23);
    assert.equal(callsFor(before?.EventId), 1, 'still invoked once');
    assert.equal(await logRecordsWithId('default', before?.EventId), 1);
  });

  test('the same key on different buses is two events with different ids', async () => {
    const [onDefault, onAudit] = await put([fnEntry(30, 'per-bus'), fnEntry(31, 'per-bus', 'audit')]);
    assert.ok(onDefault?.EventId && onAudit?.EventId);
    assert.notEqual(onDefault.EventId, onAudit.EventId);
    assert.equal(onAudit.EventId, idempotentEventId('audit', 'per-bus'));
    assert.equal(await logRecordsWithId('default', onDefault.EventId), 1);
    assert.equal(await logRecordsWithId('audit', onAudit.EventId), 1);
  });

  test('different keys and unkeyed entries get different ids', async () => {
    const out = await put([fnEntry(40, 'k-1'), fnEntry(41, 'k-2'), fnEntry(42), fnEntry(43)]);
    assert.equal(new Set(out.map((r) => r.EventId)).size, 4);
  });

  test('an invalid key fails its entry alone with InvalidArgument', async () => {
    const message = 'Parameter IdempotencyKey is not valid. Reason: IdempotencyKey must be a string of 1 to 128 characters.';
    const out = await put([fnEntry(50, ''), fnEntry(51, 'x'.repeat(129)), fnEntry(52, 42), fnEntry(53, 'ok-key'), fnEntry(54, '🙂'.repeat(128))]);
    assert.deepEqual(out[0], { ErrorCode: 'InvalidArgument', ErrorMessage: message });
    assert.deepEqual(out[1], { ErrorCode: 'InvalidArgument', ErrorMessage: message });
    assert.deepEqual(out[2], { ErrorCode: 'InvalidArgument', ErrorMessage: message });
    assert.equal(out[3]?.EventId, idempotentEventId('default', 'ok-key'));
    assert.equal(out[4]?.EventId, idempotentEventId('default', '🙂'.repeat(128)), '128 characters, whatever their UTF-16 length');
  });

  test('an AWS SDK client sends the key through a build-step middleware', async () => {
    const client = new EventBridgeClient({ endpoint: server.url, region: 'us-east-1', credentials: credentials(), maxAttempts: 1 });
    try {
      // The SDK serializes only the members of AWS's model: copy the keys into the body before it is signed.
      client.middlewareStack.add(
        (next, _context) => async (args) => {
          const entries = (args.input as { Entries?: { IdempotencyKey?: string }[] }).Entries ?? [];
          const request = args.request as { body?: unknown };
          // Depending on the SDK version the serialized body is a string or UTF-8 bytes.
          const text = typeof request.body === 'string' ? request.body : request.body instanceof Uint8Array ? new TextDecoder().decode(request.body) : undefined;
          if (text !== undefined && entries.some((e) => e.IdempotencyKey !== undefined)) {
            const body = JSON.parse(text) as { Entries: Record<string, unknown>[] };
            body.Entries.forEach((e, i) => {
              const key = entries[i]?.IdempotencyKey;
              if (key !== undefined) e['IdempotencyKey'] = key;
            });
            request.body = JSON.stringify(body);
          }
          return next(args);
        },
        { step: 'build', priority: 'high', name: 'idempotencyKey' },
      );
      const entry = (n: number): PutEventsRequestEntry => ({ ...(fnEntry(n) as PutEventsRequestEntry), IdempotencyKey: 'from-the-sdk' } as PutEventsRequestEntry);
      const first = await client.send(new PutEventsCommand({ Entries: [entry(60)] }));
      const second = await client.send(new PutEventsCommand({ Entries: [entry(61)] }));
      assert.equal(first.Entries?.[0]?.EventId, idempotentEventId('default', 'from-the-sdk'));
      assert.equal(second.Entries?.[0]?.EventId, first.Entries?.[0]?.EventId);
    } finally {
      client.destroy();
    }
  });
});
