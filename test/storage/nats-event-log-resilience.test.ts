/**
 * The JetStream event log across a connection outage. The shared NATS server cannot be
 * restarted here, so the node's connection goes through a TCP proxy (test/support/tcp-proxy.ts, on a random port)
 * that the test cuts and restores: every byte after a cut is lost, as when a node's network or the
 * server goes away. What must hold: an append made during an outage either completes after the
 * reconnect or fails with SB_STORAGE_FAILED; a retry with the same ids then completes it; in the
 * end every id is stored exactly once, gapless, and the retry answers the offsets the log holds.
 * Truth is read through a second connection that does not go through the proxy.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Events, type NatsConnection } from 'nats';
import { isSwitchboardError } from '../../src/core/index.ts';
import { type EventLog, type NewLogRecord } from '../../src/storage/index.ts';
import { connectNats, createNatsEventLog, deleteNatsEventLogStreams } from '../../src/storage/cluster.ts';
import { requireNats } from '../support/services.ts';
import { startProxy, type Proxy } from '../support/tcp-proxy.ts';

const nats = await requireNats();

/** Resolves at the connection's next status event of this type. */
async function nextStatus(nc: NatsConnection, type: Events): Promise<void> {
  for await (const status of nc.status()) if (status.type === type) return;
}

const records = (label: string, n: number, size = 64): NewLogRecord[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${label}-${i}`, time: i, payload: JSON.stringify({ i, pad: 'x'.repeat(size) }) }));

describe('JetStream EventLog across a connection outage', { skip: nats.skip }, () => {
  const prefix = `sbt_${randomUUID().slice(0, 8)}`;
  let proxy: Proxy;
  let direct: NatsConnection;
  let viaProxy: NatsConnection;
  let log: EventLog;
  let truth: EventLog;

  before(async () => {
    const url = new URL(nats.url);
    proxy = await startProxy({ host: url.hostname, port: Number(url.port || 4222) });
    direct = await connectNats({ servers: nats.url, name: 'resilience-truth' });
    viaProxy = await connectNats({ servers: `nats://127.0.0.1:${proxy.port}`, name: 'resilience-node', reconnectWaitMs: 50 });
    log = await createNatsEventLog(viaProxy, { prefix, timeoutMs: 1_500, duplicateWindowMs: 200 });
    truth = await createNatsEventLog(direct, { prefix });
  });
  after(async () => {
    await viaProxy?.close();
    await proxy?.close();
    if (direct !== undefined) {
      await deleteNatsEventLogStreams(direct, prefix);
      await direct.close();
    }
  });

  /** Every id once, offsets 1..n in append order, and `offsets` are what the log holds. */
  async function assertExactlyOnce(stream: string, want: readonly NewLogRecord[], offsets: readonly number[]): Promise<void> {
    const held = await truth.read(stream, 0, 10_000);
    assert.equal(held.length, want.length, 'nothing lost, nothing duplicated');
    assert.deepEqual(new Set(held.map((r) => r.id)).size, want.length);
    assert.deepEqual(held.map((r) => r.offset), want.map((_, i) => i + 1), 'gapless');
    const byId = new Map(held.map((r) => [r.id, r.offset]));
    assert.deepEqual(offsets, want.map((r) => byId.get(r.id)), 'the retry answers the stored offsets');
    assert.equal(await truth.head(stream), want.length);
  }

  /** Retries like a caller would: same records, until an append succeeds. */
  async function appendUntilDone(stream: string, batch: readonly NewLogRecord[]): Promise<{ offsets: readonly number[]; failures: number }> {
    for (let failures = 0; ; failures++) {
      try {
        return { offsets: await log.append(stream, batch), failures };
      } catch (error) {
        assert.ok(isSwitchboardError(error, 'SB_STORAGE_FAILED'), `a clear storage error, got ${String(error)}`);
        assert.ok(failures < 20, 'the append never completed');
      }
    }
  }

  it('completes an append made during a short outage once the connection is back', async () => {
    const stream = 'bus:short-outage';
    const first = records('before', 5);
    await log.append(stream, first);
    const noticed = nextStatus(viaProxy, Events.Disconnect);
    await proxy.cut();
    // Made once the node knows it is disconnected (one made before that is written into the dead
    // socket: the next test covers it).
    await noticed;
    const during = records('during', 20);
    const pending = log.append(stream, during);
    await proxy.restore();
    const offsets = await pending;
    await assertExactlyOnce(stream, [...first, ...during], [...first.map((_, i) => i + 1), ...offsets]);
    assert.ok(proxy.accepted() >= 2, 'the node reconnected through the proxy');
  });

  it('fails an append written into a connection that just died, and a retry completes it without duplicates', async () => {
    const stream = 'bus:dead-socket';
    await log.append(stream, records('seed', 1));
    // The connection dies on the first byte of the append, before the client can notice.
    const cut = proxy.cutAfter(0);
    const batch = records('dead', 10);
    const attempt = log.append(stream, batch);
    await cut;
    await proxy.restore();
    await assert.rejects(attempt, (error: unknown) => isSwitchboardError(error, 'SB_STORAGE_FAILED') && /not acknowledged/.test(error.message));
    const { offsets } = await appendUntilDone(stream, batch);
    await assertExactlyOnce(stream, [...records('seed', 1), ...batch], [1, ...offsets]);
  });

  it('fails an append made during a long outage with nothing written, and a retry with the same ids completes it without duplicates', async () => {
    const stream = 'bus:long-outage';
    const noticed = nextStatus(viaProxy, Events.Disconnect);
    await proxy.cut();
    await noticed;
    const batch = records('long', 30);
    await assert.rejects(log.append(stream, batch), (error: unknown) => isSwitchboardError(error, 'SB_STORAGE_FAILED') && /unreachable/.test(error.message));
    assert.equal(await truth.head(stream), 0, 'nothing written');
    await proxy.restore();
    const { offsets } = await appendUntilDone(stream, batch);
    await assertExactlyOnce(stream, batch, offsets);
  });

  it('completes a batch the connection cut in the middle, storing each record once (inside and beyond the duplicate window)', async () => {
    // The stream's window is set by whoever creates it: 2 minutes (a retry is answered by
    // Nats-Msg-Id), then 200 ms (the retry comes after the 1.5 s ack timeout, so the
    // expected-subject-sequence check is what refuses the repeats).
    for (const windowMs of [120_000, 200]) {
      const node = await createNatsEventLog(viaProxy, { prefix, timeoutMs: 1_500, duplicateWindowMs: windowMs });
      const stream = `bus:cut-mid-batch-${windowMs}`;
      const seed = records(`seed${windowMs}`, 1);
      await node.append(stream, seed);
      const batch = records(`mid${windowMs}`, 400, 512);
      // About a third of the batch reaches the server; the rest dies with the connection.
      const cut = proxy.cutAfter((400 * 700) / 3);
      const attempt = node.append(stream, batch).then(
        () => 'completed',
        (error: unknown) => (isSwitchboardError(error, 'SB_STORAGE_FAILED') ? 'failed' : String(error)),
      );
      await cut;
      await proxy.restore();
      assert.equal(await attempt, 'failed', 'the acks of the lost records never came');
      const stored = (await truth.head(stream)) - seed.length;
      assert.ok(stored > 0 && stored < batch.length, `a prefix of the batch was stored (${stored} of ${batch.length})`);
      assert.deepEqual((await truth.read(stream, seed.length, 10_000)).map((r) => r.id), batch.slice(0, stored).map((r) => r.id), 'in order');
      const { offsets } = await appendUntilDone(stream, batch);
      await assertExactlyOnce(stream, [...seed, ...batch], [1, ...offsets]);
    }
  });
});
