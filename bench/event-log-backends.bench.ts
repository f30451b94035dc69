/**
 * bench/event-log-backends: the `EventLog` on NATS JetStream (cluster mode) against the SQLite
 * adapter (embedded mode) in the same run and the same process, on one stream each:
 *
 * - append records/s, one call after another, batches of 1 and of 100 (each call awaited: the
 *   latency a PutEvents request waits on), plus 16 batch-of-1 calls in flight (many requests at once);
 * - read records/s, pages of 1,000 from offset 0 (a dispatcher catching up), and the time of one
 *   read at the head (a dispatcher polling: "anything new?").
 *
 * The SQLite log answers reads of recent records from its in-memory run of what it just appended,
 * so its read figure is a memory copy: that is what a dispatcher on the embedded log gets.
 * Payloads are 300-byte JSON bus events. Figures are medians of BENCH_ROUNDS rounds (default 3);
 * "ours" is JetStream, the peer is SQLite, so the ratio is the cost of the backbone.
 * Env: BENCH_ROUNDS, EVENTLOG_RECORDS (records per figure per round, default 2,000),
 * SB_BENCH_NATS_URL (default nats://127.0.0.1:4222).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type EventLog, type NewLogRecord } from '../src/storage/index.ts';
import { connectNats, createNatsEventLog, deleteNatsEventLogStreams } from '../src/storage/cluster.ts';
import { median, printTable, type Row } from './lib/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RECORDS = Number(process.env.EVENTLOG_RECORDS ?? 2_000);
const NATS_URL = process.env.SB_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const PAYLOAD = JSON.stringify({ version: '0', source: 'bench.orders', 'detail-type': 'OrderPlaced', detail: { orderId: 'o-1', pad: 'x'.repeat(180) } });

interface Figures {
  readonly append1: number;
  readonly append100: number;
  readonly append1x16: number;
  readonly read1000: number;
  readonly readAtHeadMs: number;
}

const batchOf = (prefix: string, from: number, n: number): NewLogRecord[] =>
  Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${from + i}`, time: Date.now(), payload: PAYLOAD }));

async function appendRate(log: EventLog, stream: string, batch: number, inFlight = 1): Promise<number> {
  const calls = Math.max(1, Math.floor(RECORDS / batch));
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < calls) {
        const call = next++;
        await log.append(stream, batchOf(stream, call * batch, batch));
      }
    }),
  );
  return (calls * batch) / ((performance.now() - started) / 1000);
}

async function measure(log: EventLog, round: number): Promise<Figures> {
  const tag = `${round}-${randomUUID().slice(0, 6)}`;
  const append1 = await appendRate(log, `bus:b1-${tag}`, 1);
  const append100 = await appendRate(log, `bus:b100-${tag}`, 100);
  const append1x16 = await appendRate(log, `bus:b1x16-${tag}`, 1, 16);
  const stream = `bus:b100-${tag}`;
  const head = await log.head(stream);
  let started = performance.now();
  let read = 0;
  for (let after = 0; after < head; ) {
    const page = await log.read(stream, after, 1_000);
    if (page.length === 0) break;
    read += page.length;
    after = page[page.length - 1]?.offset ?? head;
  }
  const read1000 = read / ((performance.now() - started) / 1000);
  started = performance.now();
  for (let i = 0; i < 50; i++) await log.read(stream, head, 100);
  return { append1, append100, append1x16, read1000, readAtHeadMs: (performance.now() - started) / 50 };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-eventlog-'));
  const db = openDatabase({ path: join(dir, 'data.db') }, [eventLogMigrations]);
  const sqlite = createSqliteEventLog(db);
  const nc = await connectNats({ servers: NATS_URL, name: 'bench-event-log' });
  const prefix = `sbb_${randomUUID().slice(0, 8)}`;
  try {
    const jetstream = await createNatsEventLog(nc, { prefix });
    const ours: Figures[] = [];
    const peer: Figures[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      peer.push(await measure(sqlite, round));
      ours.push(await measure(jetstream, round));
    }
    const m = (figures: Figures[], key: keyof Figures): number => median(figures.map((f) => f[key]));
    const peerName = 'SQLite event log (embedded)';
    const rows: Row[] = [
      { metric: 'append records/s, batch 1, sequential', ours: m(ours, 'append1'), peer: m(peer, 'append1'), peerName, better: 'higher' },
      { metric: 'append records/s, batch 100, sequential', ours: m(ours, 'append100'), peer: m(peer, 'append100'), peerName, better: 'higher' },
      { metric: 'append records/s, batch 1, 16 in flight', ours: m(ours, 'append1x16'), peer: m(peer, 'append1x16'), peerName, better: 'higher' },
      { metric: 'read records/s, pages of 1,000', ours: m(ours, 'read1000'), peer: m(peer, 'read1000'), peerName, better: 'higher' },
      { metric: 'read at the head (nothing new), ms', ours: m(ours, 'readAtHeadMs'), peer: m(peer, 'readAtHeadMs'), peerName, better: 'lower' },
    ];
    printTable(`EventLog: NATS JetStream (switchboard column) vs SQLite, ${RECORDS} records per figure, median of ${ROUNDS} rounds`, rows);
  } finally {
    await deleteNatsEventLogStreams(nc, prefix).catch(() => 0);
    await nc.close();
    await writeBatcherFor(db).drain();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
