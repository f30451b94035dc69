/**
 * The `EventLog` contract (src/storage/event-log.ts), one test per guarantee, for any adapter:
 * `describeEventLogContract('SQLite', open)`. `open()` gives a new instance over the same storage
 * each time (a second connection, a second "node"), so the suite can check what one instance sees
 * of another's appends. Stream names are fresh per test; the adapter's storage is the caller's
 * to isolate (a temp file, a random JetStream prefix) and to remove after the suite.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventLog, LogRecord, NewLogRecord } from '../../../src/storage/index.ts';

export interface OpenedEventLog {
  readonly log: EventLog;
  close(): Promise<void>;
}

export interface EventLogContractOptions {
  /** node:test's `skip`: the reason the adapter cannot be tested here (a service not reachable). */
  readonly skip?: string | false;
}

const rec = (id: string, payload = `{"id":${JSON.stringify(id)}}`): NewLogRecord => ({ id, time: 1_700_000_000_000, payload });
const ids = (records: readonly LogRecord[]): string[] => records.map((r) => r.id);
const offsets = (records: readonly LogRecord[]): number[] => records.map((r) => r.offset);

export function describeEventLogContract(adapterName: string, open: () => Promise<OpenedEventLog>, options: EventLogContractOptions = {}): void {
  describe(`EventLog contract: ${adapterName}`, { skip: options.skip ?? false }, () => {
    let main: OpenedEventLog;
    let log: EventLog;
    const run = randomUUID().slice(0, 8);
    let n = 0;
    const fresh = (label = 's'): string => `bus:${label}-${run}-${++n}`;
    before(async () => {
      main = await open();
      log = main.log;
    });
    after(async () => {
      await main?.close();
    });

    it('numbers a stream from 1, strictly increasing in append order', async () => {
      const s = fresh();
      assert.deepEqual(await log.append(s, [rec('a'), rec('b')]), [1, 2]);
      assert.deepEqual(await log.append(s, [rec('c')]), [3]);
      assert.deepEqual(await log.append(s, [rec('d'), rec('e'), rec('f')]), [4, 5, 6]);
      assert.equal(await log.head(s), 6);
    });

    it('counts offsets per stream', async () => {
      const a = fresh();
      const b = fresh();
      await log.append(a, [rec('x'), rec('y')]);
      assert.deepEqual(await log.append(b, [rec('x')]), [1], 'another stream starts at 1, and the same id is its own there');
      assert.deepEqual(await log.append(a, [rec('z')]), [3]);
      assert.equal(await log.head(b), 1);
    });

    it('answers an id repeated within one call with its first offset, using up no offset', async () => {
      const s = fresh();
      assert.deepEqual(await log.append(s, [rec('a'), rec('a', '{"second":true}'), rec('b')]), [1, 1, 2]);
      assert.deepEqual(ids(await log.read(s, 0, 10)), ['a', 'b']);
      assert.equal((await log.read(s, 0, 1))[0]?.payload, '{"id":"a"}', 'the first record wins');
    });

    it('answers an id appended again in a later call with its first offset, using up no offset', async () => {
      const s = fresh();
      await log.append(s, [rec('a'), rec('b')]);
      assert.deepEqual(await log.append(s, [rec('b', '{"again":true}'), rec('c')]), [2, 3]);
      assert.deepEqual(await log.append(s, [rec('a')]), [1]);
      assert.equal(await log.head(s), 3);
      assert.equal((await log.find(s, 'b'))?.payload, '{"id":"b"}', 'the first record wins');
    });

    it('answers repeated ids in the middle of a call with their first offsets, numbering the new records around them in order', async () => {
      const s = fresh();
      await log.append(s, [rec('a'), rec('b'), rec('c')]);
      const got = await log.append(s, [rec('d'), rec('b', '{"again":true}'), rec('e'), rec('a'), rec('e'), rec('f')]);
      assert.deepEqual(got, [4, 2, 5, 1, 5, 6]);
      assert.deepEqual(ids(await log.read(s, 0, 10)), ['a', 'b', 'c', 'd', 'e', 'f']);
      assert.equal((await log.find(s, 'b'))?.payload, '{"id":"b"}', 'the first record wins');
      assert.equal(await log.head(s), 6);
    });

    it('keeps each call in order when many calls to one stream are in flight at once, repeats included', async () => {
      const s = fresh();
      const calls = Array.from({ length: 30 }, (_, c) => Array.from({ length: 10 }, (_, i) => rec(`c${c % 20}-${i}`)));
      const got = await Promise.all(calls.map((batch) => log.append(s, batch)));
      const byId = new Map((await log.read(s, 0, 1000)).map((r) => [r.id, r.offset]));
      assert.equal(byId.size, 200, 'calls 20..29 repeat calls 0..9');
      assert.equal(await log.head(s), 200);
      for (const [c, offsets] of got.entries()) {
        assert.deepEqual(offsets, calls[c]?.map((r) => byId.get(r.id)), `call ${c} is answered the stored offsets`);
        assert.ok(offsets.every((o, i) => i === 0 || o > (offsets[i - 1] ?? 0)), `call ${c}'s offsets increase: ${offsets.join(',')}`);
      }
    });

    it('answers the same id appended by two concurrent calls with one offset', async () => {
      const s = fresh();
      const [x, y] = await Promise.all([log.append(s, [rec('d')]), log.append(s, [rec('d')])]);
      assert.deepEqual([x, y], [[1], [1]]);
      assert.equal(await log.head(s), 1);
    });

    it('keeps the order of the records of one call', async () => {
      const s = fresh();
      const batch = Array.from({ length: 100 }, (_, i) => rec(`r${String(99 - i).padStart(3, '0')}`));
      const got = await log.append(s, batch);
      assert.deepEqual(got, Array.from({ length: 100 }, (_, i) => i + 1));
      assert.deepEqual(ids(await log.read(s, 0, 1000)), batch.map((r) => r.id));
    });

    it('returns no offsets and writes nothing for an empty append', async () => {
      const s = fresh();
      assert.deepEqual(await log.append(s, []), []);
      assert.equal(await log.head(s), 0);
    });

    it('calls onOffsets with every offset before append resolves', async () => {
      const s = fresh();
      await log.append(s, [rec('a')]);
      let seen: readonly number[] | undefined;
      const got = await log.append(s, [rec('b'), rec('a'), rec('c')], { onOffsets: (o) => (seen = [...o]) });
      assert.deepEqual(seen, [2, 1, 3]);
      assert.deepEqual(got, [2, 1, 3]);
    });

    it('reads the records after an offset, in offset order, up to the limit', async () => {
      const s = fresh();
      const all = Array.from({ length: 40 }, (_, i) => rec(`e${i}`));
      await log.append(s, all.slice(0, 25));
      await log.append(s, all.slice(25));
      for (const from of [0, 1, 17, 38, 39, 40, 75]) {
        for (const limit of [1, 7, 16, 17, 100]) {
          const page = await log.read(s, from, limit);
          const want = Array.from({ length: Math.max(0, Math.min(limit, 40 - from)) }, (_, i) => from + 1 + i);
          assert.deepEqual(offsets(page), want, `after ${from}, limit ${limit}`);
          assert.deepEqual(ids(page), want.map((o) => `e${o - 1}`));
          assert.ok(page.every((r) => r.stream === s));
        }
      }
      assert.deepEqual(await log.read(s, 0, 0), [], 'limit 0');
    });

    it('reads long pages (hundreds of records) in offset order, up to the limit', async () => {
      const s = fresh();
      const all = Array.from({ length: 600 }, (_, i) => rec(`l${i}`));
      for (let i = 0; i < all.length; i += 200) await log.append(s, all.slice(i, i + 200));
      for (const [from, limit] of [[0, 1000], [0, 250], [100, 300], [450, 200], [599, 500], [600, 500]] as const) {
        const page = await log.read(s, from, limit);
        const want = Array.from({ length: Math.max(0, Math.min(limit, 600 - from)) }, (_, i) => from + 1 + i);
        assert.deepEqual(offsets(page), want, `after ${from}, limit ${limit}`);
        assert.deepEqual(ids(page), want.map((o) => `l${o - 1}`));
      }
    });

    it('reads back id, time, payload and meta exactly as appended, whatever the id', async () => {
      const s = fresh();
      const meta = '{ "from": "arn:aws:events:eu-west-1:1:event-bus/a b", "hops": 2, "note": "ünïcode \\n" }';
      const records: NewLogRecord[] = [
        { id: 'plain', time: 1_700_000_000_123, payload: '{"a":1}' },
        { id: 'with meta', time: 42, payload: '{"b":"ü 🚀"}', meta },
        { id: 'id.with.dots*and>wild', time: 0, payload: '  {"spaces": "kept"}  \n' },
        { id: 'line\nbreak', time: 7, payload: 'null', meta: '' },
        { id: `long-${'é'.repeat(2_000)}`, time: 8, payload: '{}' },
      ];
      await log.append(s, records);
      const read = await log.read(s, 0, 10);
      assert.deepEqual(read, records.map((r, i) => ({ ...r, stream: s, offset: i + 1 })));
      assert.deepEqual(await log.find(s, 'with meta'), { ...records[1], stream: s, offset: 2 });
      assert.deepEqual(await log.find(s, `long-${'é'.repeat(2_000)}`), { ...records[4], stream: s, offset: 5 });
      assert.deepEqual(await log.append(s, [records[4] as NewLogRecord, rec('after')]), [5, 6], 'a long id is deduplicated too');
    });

    it('finds a record by id, and nothing for an unknown id or stream', async () => {
      const s = fresh();
      await log.append(s, [rec('x'), rec('y')]);
      assert.deepEqual(await log.find(s, 'y'), { ...rec('y'), stream: s, offset: 2 });
      assert.equal(await log.find(s, 'z'), undefined);
      assert.equal(await log.find(fresh('never'), 'x'), undefined);
    });

    it('reports head 0 and reads nothing for a stream never appended to', async () => {
      const s = fresh('never');
      assert.equal(await log.head(s), 0);
      assert.deepEqual(await log.read(s, 0, 10), []);
      await log.trim(s, 10);
      assert.equal(await log.head(s), 0, 'trimming an unknown stream moves nothing');
    });

    it('drops records through the trim offset, keeps the head, and continues after it', async () => {
      const s = fresh();
      await log.append(s, [rec('a'), rec('b'), rec('c'), rec('d')]);
      await log.trim(s, 2);
      assert.deepEqual(offsets(await log.read(s, 0, 10)), [3, 4]);
      assert.equal(await log.find(s, 'a'), undefined, 'a trimmed record is not found');
      assert.equal(await log.head(s), 4);
      await log.trim(s, 4);
      assert.deepEqual(await log.read(s, 0, 10), []);
      assert.equal(await log.head(s), 4, 'an empty stream keeps counting');
      await log.trim(s, 100);
      assert.equal(await log.head(s), 4, 'a trim beyond the head does not move it');
      assert.deepEqual(await log.append(s, [rec('e')]), [5]);
      assert.deepEqual(ids(await log.read(s, 0, 10)), ['e']);
      assert.deepEqual(ids(await log.read(s, 3, 10)), ['e']);
    });

    it('a read from below a trim counts its limit in records from the first kept', async () => {
      const s = fresh();
      await log.append(s, [rec('a'), rec('b'), rec('c'), rec('d'), rec('e')]);
      await log.trim(s, 3);
      assert.deepEqual(ids(await log.read(s, 0, 1)), ['d'], 'the oldest kept, not the empty range 1..1');
      assert.deepEqual(ids(await log.read(s, 1, 2)), ['d', 'e']);
      assert.deepEqual(ids(await log.read(s, 3, 1)), ['d']);
    });

    it('offsetAtTime, where a log has it, answers the first offset stored at or after a time', async () => {
      if (log.offsetAtTime === undefined) return;
      const s = fresh();
      assert.equal(await log.offsetAtTime(s, Date.now()), undefined, 'an unknown stream');
      await log.append(s, [rec('a'), rec('b')]);
      await new Promise((r) => setTimeout(r, 50));
      const between = Date.now();
      await new Promise((r) => setTimeout(r, 50));
      await log.append(s, [rec('c')]);
      assert.equal(await log.offsetAtTime(s, between), 3);
      assert.equal(await log.offsetAtTime(s, between - 60_000), 1);
      assert.equal(await log.offsetAtTime(s, Date.now() + 60_000), 4, 'all older: past the head');
      await log.trim(s, 1);
      assert.equal(await log.offsetAtTime(s, between - 60_000), 2, 'the first kept');
    });

    it('stores and reads back large payloads (256 KB)', async () => {
      const s = fresh();
      const big = (c: string): string => JSON.stringify({ blob: c.repeat(256 * 1024 - 12) });
      const got = await log.append(s, [rec('big1', big('x')), rec('small'), rec('big2', big('y'))]);
      assert.deepEqual(got, [1, 2, 3]);
      const read = await log.read(s, 0, 10);
      assert.equal(read[0]?.payload, big('x'));
      assert.equal(read[2]?.payload, big('y'));
      assert.equal((await log.find(s, 'big2'))?.payload.length, big('y').length);
    });

    it('keeps many streams apart, whatever their names', async () => {
      const names = [
        ...Array.from({ length: 40 }, (_, i) => fresh(`many${i}`)),
        `sub:onOrder.${run}`, `sub:onOrder ${run}`, `sub:onOrder*${run}`, `sub:onOrder>${run}`, `sub:Ö/ü\\${run}`, `${'long'.repeat(80)}${run}`, `${'long'.repeat(80)}${run}x`,
      ];
      await Promise.all(names.map((s, i) => log.append(s, Array.from({ length: (i % 3) + 1 }, (_, j) => rec(`${i}-${j}`)))));
      for (const [i, s] of names.entries()) {
        assert.equal(await log.head(s), (i % 3) + 1, s);
        assert.deepEqual(ids(await log.read(s, 0, 10)), Array.from({ length: (i % 3) + 1 }, (_, j) => `${i}-${j}`), s);
      }
    });

    it('shows what append resolved to another instance at once', async () => {
      const other = await open();
      try {
        const s = fresh();
        await log.append(s, [rec('a'), rec('b')]);
        assert.equal(await other.log.head(s), 2);
        assert.deepEqual(ids(await other.log.read(s, 0, 10)), ['a', 'b']);
        assert.equal((await other.log.find(s, 'b'))?.offset, 2);
        assert.deepEqual(await other.log.append(s, [rec('b'), rec('c')]), [2, 3], 'the dedupe holds across instances');
        assert.deepEqual(ids(await log.read(s, 0, 10)), ['a', 'b', 'c']);
      } finally {
        await other.close();
      }
    });

    it('gives concurrent appends from two instances to one stream unique, increasing offsets, losing nothing', async () => {
      const other = await open();
      try {
        const s = fresh('shared');
        const calls: Promise<{ readonly ids: string[]; readonly offsets: readonly number[] }>[] = [];
        for (let c = 0; c < 20; c++) {
          for (const [name, instance] of [['one', log], ['two', other.log]] as const) {
            const batch = Array.from({ length: 5 }, (_, i) => rec(`${name}-${c}-${i}`));
            calls.push(instance.append(s, batch).then((o) => ({ ids: batch.map((r) => r.id), offsets: o })));
          }
        }
        const done = await Promise.all(calls);
        const all = done.flatMap((d) => d.offsets);
        assert.deepEqual([...all].sort((a, b) => a - b), Array.from({ length: 200 }, (_, i) => i + 1), 'every offset once, no gap');
        for (const d of done) assert.ok(d.offsets.every((o, i) => i === 0 || o > (d.offsets[i - 1] ?? 0)), `one call's offsets increase: ${d.offsets.join(',')}`);
        const read = await log.read(s, 0, 1000);
        assert.equal(read.length, 200);
        const byOffset = new Map(done.flatMap((d) => d.offsets.map((o, i) => [o, d.ids[i]] as const)));
        for (const r of read) assert.equal(r.id, byOffset.get(r.offset), `offset ${r.offset}`);
        assert.equal(await other.log.head(s), 200);
      } finally {
        await other.close();
      }
    });
  });
}
