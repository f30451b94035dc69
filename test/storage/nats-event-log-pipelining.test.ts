/**
 * The JetStream event log's pipelined appends (src/storage/nats/event-log.ts, "Append"): every
 * record of a call is published at once and the acks are awaited together, so what matters is
 * what one record's answer does to the others. Checked here against the real server: a repeat in
 * the middle beyond the duplicate window (refused by the expected-subject-sequence check) keeps
 * every other offset right; a record the server refuses in the middle fails the call without
 * undoing its neighbours, and the retry completes it; one node's calls to one stream, however
 * many are in flight, each get consecutive offsets. And the request batching itself
 * (src/storage/nats/pipelined-requests.ts): a reply that never comes is a timeout for that request
 * only; a closed connection fails a batch without sending anything.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, NatsError, StorageType, type NatsConnection } from 'nats';
import { isSwitchboardError } from '../../src/core/index.ts';
import { type EventLog, type NewLogRecord } from '../../src/storage/index.ts';
import { connectNats, createNatsEventLog, deleteNatsEventLogStreams } from '../../src/storage/cluster.ts';
import { encodeStreamPart } from '../../src/storage/nats/names.ts';
import { pipelinedRequests } from '../../src/storage/nats/pipelined-requests.ts';
import { requireNats } from '../support/services.ts';

const nats = await requireNats();

const rec = (id: string, payload = `{"id":${JSON.stringify(id)}}`): NewLogRecord => ({ id, time: 1_700_000_000_000, payload });

describe('JetStream EventLog: pipelined appends', { skip: nats.skip }, () => {
  const prefix = `sbt_${randomUUID().slice(0, 8)}`;
  let nc: NatsConnection;
  let log: EventLog;

  before(async () => {
    nc = await connectNats({ servers: nats.url, name: 'pipelining' });
    // A 100 ms duplicate window: a repeat sent later is refused by "this subject must be empty".
    log = await createNatsEventLog(nc, { prefix, duplicateWindowMs: 100 });
  });
  after(async () => {
    if (nc !== undefined) {
      await deleteNatsEventLogStreams(nc, prefix);
      await nc.close();
    }
  });

  it('answers repeats in the middle of a batch beyond the duplicate window with their first offsets', async () => {
    const s = 'bus:middle-repeat';
    await log.append(s, ['a', 'b', 'c', 'd'].map((id) => rec(id)));
    await sleep(300);
    assert.deepEqual(await log.append(s, [rec('x'), rec('c'), rec('y'), rec('a'), rec('d'), rec('z')]), [5, 3, 6, 1, 4, 7]);
    assert.deepEqual((await log.read(s, 0, 100)).map((r) => r.id), ['a', 'b', 'c', 'd', 'x', 'y', 'z']);
    assert.equal(await log.head(s), 7);
  });

  it('fails a batch whose middle record the server refuses, keeps its neighbours, and a retry completes it', async () => {
    const s = 'bus:middle-refused';
    // Another node made the stream with a message size limit: the big record is refused alone.
    const jsm = await nc.jetstreamManager();
    const name = `${prefix}_${encodeStreamPart(s)}`;
    const config = { name, subjects: [`${prefix}.log.${encodeStreamPart(s)}.*`], storage: StorageType.File, allow_direct: true, max_msg_size: 2_000 };
    await jsm.streams.add(config);
    const batch = [rec('small1'), rec('big', JSON.stringify({ pad: 'x'.repeat(5_000) })), rec('small2')];
    await assert.rejects(log.append(s, batch), (error: unknown) => isSwitchboardError(error, 'SB_STORAGE_FAILED') && /1 of 3 records not acknowledged/.test(error.message));
    assert.deepEqual((await log.read(s, 0, 10)).map((r) => [r.id, r.offset]), [['small1', 1], ['small2', 2]], 'the neighbours are stored, in order');
    await jsm.streams.update(name, { ...config, max_msg_size: -1 });
    assert.deepEqual(await log.append(s, batch), [1, 3, 2], 'the retry stores only the missing record and answers the stored ones');
    assert.equal(await log.head(s), 3);
  });

  it("gives each of one node's calls consecutive offsets, however many are in flight", async () => {
    const s = 'bus:back-to-back';
    const calls = Array.from({ length: 40 }, (_, c) => Array.from({ length: 1 + (c % 7) }, (_, i) => rec(`${c}-${i}`)));
    const got = await Promise.all(calls.map((batch) => log.append(s, batch)));
    for (const [c, offsets] of got.entries()) {
      assert.deepEqual(offsets, offsets.map((_, i) => (offsets[0] ?? 0) + i), `call ${c}: ${offsets.join(',')}`);
    }
    assert.deepEqual(got.flat().sort((a, b) => a - b), Array.from({ length: got.flat().length }, (_, i) => i + 1));
  });
});

describe('pipelined requests', { skip: nats.skip }, () => {
  it('answers each request with its own reply, a request nobody answers with a timeout, and one nobody listens to with a 503', async () => {
    const nc = await connectNats({ servers: nats.url, name: 'pipelined-requests' });
    try {
      const base = `sbt.pipe.${randomUUID().slice(0, 8)}`;
      nc.subscribe(`${base}.echo`, { callback: (_error, m) => m.respond(m.data) });
      nc.subscribe(`${base}.silent`, { callback: () => undefined });
      await nc.flush();
      const data = (text: string): Uint8Array => new TextEncoder().encode(text);
      const started = Date.now();
      const replies = await pipelinedRequests(nc).send(
        [
          { subject: `${base}.echo`, data: data('one') },
          { subject: `${base}.silent`, data: data('two') },
          { subject: `${base}.nobody`, data: data('three') },
          { subject: `${base}.echo`, data: data('four') },
        ],
        300,
      );
      assert.ok(Date.now() - started >= 250, 'waited for the silent one');
      const [one, two, three, four] = replies;
      assert.ok(one !== undefined && !(one instanceof Error) && one.string() === 'one');
      assert.ok(two instanceof NatsError && two.code === ErrorCode.Timeout, `a timeout, got ${String(two)}`);
      assert.ok(three !== undefined && !(three instanceof Error) && three.headers?.code === 503);
      assert.ok(four !== undefined && !(four instanceof Error) && four.string() === 'four');
    } finally {
      await nc.close();
    }
  });

  it('fails every request of a batch sent on a closed connection, sending nothing', async () => {
    const nc = await connectNats({ servers: nats.url, name: 'pipelined-requests-closed' });
    const requests = pipelinedRequests(nc);
    await nc.close();
    const replies = await requests.send([{ subject: 'sbt.pipe.a', data: new Uint8Array(0) }, { subject: 'sbt.pipe.b', data: new Uint8Array(0) }], 5_000);
    assert.equal(replies.length, 2);
    for (const r of replies) assert.ok(r instanceof NatsError && r.code === ErrorCode.ConnectionClosed, String(r));
  });
});
