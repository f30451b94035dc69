/**
 * Resume after a disconnect (Switchboard's extension of both protocols): every message carries its
 * topic offset; a client that comes back with `resumeFrom` gets what it missed, in order, then the
 * live stream; one that comes back after the retention gets `resync_required`.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../src/core/index.ts';
import { loadApp } from '../../src/app/index.ts';
import { startSwitchboard, type RunningSwitchboard } from '../../src/server/index.ts';
import { REPO_ROOT } from '../support/server-process.ts';
import { connectRaw, headerProtocol, type RawClient } from '../support/ws-client.ts';

let server: RunningSwitchboard;
let dataDir: string;
const SUB = 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';

async function appsync(resumeFrom?: number, id = 'order-r'): Promise<RawClient> {
  const host = new URL(server.url).host;
  const apiKey = server.credentials.apiKeys[0]?.key ?? '';
  const c = await connectRaw(`${server.url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol({ host, 'x-api-key': apiKey })]);
  c.send({ type: 'connection_init' });
  await c.next((f) => f.type === 'connection_ack');
  const extensions: Record<string, unknown> = { authorization: { host, 'x-api-key': apiKey } };
  if (resumeFrom !== undefined) extensions['resumeFrom'] = resumeFrom;
  c.send({ id: 's', type: 'start', payload: { data: JSON.stringify({ query: SUB, variables: { id } }), extensions } });
  await c.next((f) => f.type === 'start_ack');
  return c;
}

/** `seq` rides in `updatedAt` (the status is an enum), so the order of delivery can be read back. */
const stamp = (seq: number) => `2026-11-25T10:${String(Math.floor(seq / 60)).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}.000Z`;
const publish = (id: string, seq: number) => server.realtime.publish('onOrderUpdated', { id, status: 'PAID', updatedAt: stamp(seq) });

describe('resume by offset', () => {
  before(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'sb-resume-'));
    const app = await loadApp(join(REPO_ROOT, 'examples/food-ordering'));
    server = await startSwitchboard({ app, dataDir, port: 0, host: '127.0.0.1', logger: silentLogger, realtimeRetention: 100 });
  });
  after(async () => {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a client that reconnects with its last offset receives the 50 messages it missed, in order, then live ones', async () => {
    const first = await appsync();
    await publish('order-r', 0);
    const seen = await first.next((f) => f.type === 'data');
    const lastOffset = seen.offset as number;
    first.ws.terminate();
    await first.closed();
    for (let i = 1; i <= 50; i++) await publish(i % 5 === 0 ? 'other-order' : 'order-r', i);
    const again = await appsync(lastOffset);
    await publish('order-r', 999);
    const statuses: string[] = [];
    const offsets: number[] = [];
    for (;;) {
      const f = await again.next((x) => x.type === 'data');
      statuses.push(f.payload.data.onOrderUpdated.updatedAt);
      offsets.push(f.offset);
      if (f.payload.data.onOrderUpdated.updatedAt === stamp(999)) break;
    }
    const expected = Array.from({ length: 50 }, (_, k) => k + 1).filter((i) => i % 5 !== 0).map(stamp);
    assert.deepEqual(statuses, [...expected, stamp(999)], 'missed messages (filtered by the subscription argument) in order, then the live one');
    assert.deepEqual([...offsets].sort((a, b) => a - b), offsets, 'offsets only grow');
    assert.ok(offsets[0] !== undefined && offsets[0] > lastOffset);
    again.ws.close();
  });

  test('a client older than the retention gets resync_required and then the live stream', async () => {
    for (let i = 0; i < 150; i++) await publish('order-old', i);
    const c = await appsync(1, 'order-old');
    const resync = await c.next((f) => f.type === 'resync_required' || f.type === 'data');
    assert.equal(resync.type, 'resync_required');
    assert.equal(resync.id, 's');
    assert.ok(resync.payload.oldestOffset > 2 && resync.payload.latestOffset >= resync.payload.oldestOffset);
    await publish('order-old', 777);
    const live = await c.next((f) => f.type === 'data');
    assert.equal(live.payload.data.onOrderUpdated.updatedAt, stamp(777));
    c.ws.close();
  });
});
