/**
 * bench/ingest: the event bus's front door, Switchboard vs a naive durable ingest
 * (`bench/peers/naive-ingest-peer.ts`: node:http + better-sqlite3 WAL, one INSERT per event and one
 * commit per request, no SigV4 check, no rules) in the same run. Two figures:
 *
 * - durable PutEvents/s: autocannon (here) against the server (its own process), 10 entries per
 *   request, the request signed once (SigV4 allows a replay for 5 minutes; re-signed each round).
 *   Switchboard serves `examples/food-ordering`, whose one rule matches none of these events, so
 *   the bus cursor moves over them but no delivery runs. Goal: >= 20K events/s (AWS's default
 *   PutEvents quota is 10K/s in the big regions).
 * - PutEvents-to-subscriber latency at 1,000 events/s: one event per PutEvents (each signed, before the timed part), one
 *   subscriber on a WebSocket. Switchboard serves `examples/eventbridge-to-graphql` (seed 002: a
 *   rule whose AppSync target runs `publishMsgFromEB`, whose subscribers get `onPublishMsgFromEb`;
 *   the subscriber uses a dev JWT); the peer broadcasts each committed event on `/events`.
 *   Latency = from just before the request is written to the `data` frame's arrival, over
 *   keep-alive connections opened before the clock starts (64, as an SDK's pool). Goal: p99
 *   under 10 ms (AWS EventBridge to Lambda: p50 148 ms, p99 387 ms, published, not this run).
 *
 * Env: BENCH_ROUNDS (default 3), BENCH_SECONDS (throughput, default 5), INGEST_RATE (default 1000),
 * INGEST_LATENCY_SECONDS (default 5), INGEST_WARMUP_SECONDS (paced warm-up per server, default 3), INGEST_CONNECTIONS (default 16), INGEST_PROFILE=1 starts
 * Switchboard with `--cpu-prof` into /tmp/sb-ingest-prof (profiles written on exit), INGEST_ONLY=throughput|latency.
 */
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { signedPost } from './lib/sign.ts';
import { freePort, startServer, type ServerProcess } from './lib/process.ts';
import { median, printTable, type Row } from './lib/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.INGEST_CONNECTIONS ?? 16);
const RATE = Number(process.env.INGEST_RATE ?? 1000);
const LATENCY_SECONDS = Number(process.env.INGEST_LATENCY_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.INGEST_WARMUP_SECONDS ?? 3);
const PROFILE = process.env.INGEST_PROFILE === '1';
const ENTRIES_PER_REQUEST = 10;
const AWS = { quotaPerSecond: 10_000, lambdaP50: 148, lambdaP99: 387 };

type Key = { accessKeyId: string; secretAccessKey: string };

interface Server {
  readonly name: string;
  readonly server: ServerProcess;
  readonly port: number;
}

function readKey(dataDir: string): Key {
  const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { accessKeys: Key[] };
  const key = creds.accessKeys[0];
  if (key === undefined) throw new Error('credentials.json has no access key');
  return key;
}

async function startSwitchboard(app: string, dataDir: string): Promise<Server & { key: Key }> {
  const port = await freePort();
  const node = PROFILE ? ['--cpu-prof', '--cpu-prof-dir', '/tmp/sb-ingest-prof'] : [];
  if (PROFILE) mkdirSync('/tmp/sb-ingest-prof', { recursive: true });
  const server = await startServer(process.execPath, [...node, 'bin/switchboard.js', 'start', app, '--port', String(port), '--data', dataDir, '--log-level', 'warn'], /listening on http/);
  return { name: 'switchboard', server, port, key: readKey(dataDir) };
}

async function startPeer(dataDir: string): Promise<Server> {
  const port = await freePort();
  const server = await startServer(process.execPath, ['--import', './bin/typescript-loader.mjs', 'bench/peers/naive-ingest-peer.ts', String(port), dataDir], /ready/);
  return { name: 'naive ingest (http + SQLite WAL)', server, port };
}

const HEADERS = { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' };

async function sign(key: Key | undefined, port: number, body: string): Promise<Record<string, string>> {
  if (key === undefined) return { host: `127.0.0.1:${port}`, ...HEADERS };
  return signedPost('events', key, port, '/', HEADERS, body);
}

// ---- throughput -------------------------------------------------------------------------------

const BATCH = JSON.stringify({
  Entries: Array.from({ length: ENTRIES_PER_REQUEST }, (_, i) => ({
    Source: 'bench.ingest',
    DetailType: 'reading',
    Detail: JSON.stringify({ sensor: `s-${i}`, value: 20 + i, unit: 'C' }),
  })),
});

interface Throughput {
  readonly eventsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuUsPerEvent: number;
  readonly errors: number;
}

async function loadOnce(s: Server, key: Key | undefined, seconds: number): Promise<Throughput> {
  const headers = await sign(key, s.port, BATCH);
  const cpu0 = s.server.cpuSeconds();
  const result = await autocannon({ url: `http://127.0.0.1:${s.port}/`, method: 'POST', body: BATCH, headers, connections: CONNECTIONS, duration: seconds });
  const cpu = s.server.cpuSeconds() - cpu0;
  const events = result.requests.total * ENTRIES_PER_REQUEST;
  return {
    eventsPerSecond: result.requests.average * ENTRIES_PER_REQUEST,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuUsPerEvent: (cpu / Math.max(1, events)) * 1e6,
    errors: result.errors + result.non2xx,
  };
}

/** One request answered 200 with FailedEntryCount 0: the load below measures real ingest. */
async function checkAnswer(s: Server, key: Key | undefined): Promise<void> {
  const headers = await sign(key, s.port, BATCH);
  const res = await fetch(`http://127.0.0.1:${s.port}/`, { method: 'POST', headers, body: BATCH });
  const text = await res.text();
  const out = JSON.parse(text) as { FailedEntryCount?: number; Entries?: { EventId?: string }[] };
  if (res.status !== 200 || out.FailedEntryCount !== 0 || out.Entries?.length !== ENTRIES_PER_REQUEST) throw new Error(`${s.name} did not accept the batch: ${res.status} ${text}`);
}

async function throughput(dir: string): Promise<void> {
  const servers: Server[] = [];
  try {
    const sb = await startSwitchboard('examples/food-ordering', join(dir, 'sb-ingest'));
    servers.push(sb, await startPeer(join(dir, 'peer-ingest')));
    const keyOf = (s: Server): Key | undefined => (s === sb ? sb.key : undefined);
    for (const s of servers) {
      await checkAnswer(s, keyOf(s));
      await loadOnce(s, keyOf(s), 1); // warm-up: JIT, SQLite pages
    }
    const samples = new Map<Server, Throughput[]>(servers.map((s) => [s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const s of servers) samples.get(s)?.push(await loadOnce(s, keyOf(s), SECONDS));
    }
    const sum = (s: Server) => {
      const list = samples.get(s) ?? [];
      return {
        eps: median(list.map((x) => x.eventsPerSecond)),
        p50: median(list.map((x) => x.p50)),
        p99: median(list.map((x) => x.p99)),
        cpu: median(list.map((x) => x.cpuUsPerEvent)),
        errors: list.reduce((a, x) => a + x.errors, 0),
        rounds: list.map((x) => Math.round(x.eventsPerSecond)).join(', '),
      };
    };
    const peer = servers[1];
    if (peer === undefined) return;
    const ours = sum(sb);
    const theirs = sum(peer);
    printTable(`durable PutEvents, ${ENTRIES_PER_REQUEST} entries/request — ${ROUNDS} rounds x ${SECONDS}s, ${CONNECTIONS} connections, medians`, [
      { metric: 'events/s', ours: ours.eps, peer: theirs.eps, peerName: peer.name, better: 'higher', goal: '>= 20,000' },
      { metric: 'request p50 ms', ours: ours.p50, peer: theirs.p50, peerName: peer.name, better: 'lower' },
      { metric: 'request p99 ms', ours: ours.p99, peer: theirs.p99, peerName: peer.name, better: 'lower' },
      { metric: 'server CPU µs/event', ours: ours.cpu, peer: theirs.cpu, peerName: peer.name, better: 'lower' },
    ]);
    console.log(`rounds (events/s): switchboard ${ours.rounds}; peer ${theirs.rounds}`);
    console.log(`for orientation, not this run: AWS's default PutEvents quota is ${AWS.quotaPerSecond.toLocaleString('en')} events/s; ours/AWS quota = ${(ours.eps / AWS.quotaPerSecond).toFixed(2)}x`);
    if (ours.errors > 0) console.log(`warning: switchboard answered ${ours.errors} errors/non-2xx`);
    if (theirs.errors > 0) console.log(`warning: the peer answered ${theirs.errors} errors/non-2xx`);
  } finally {
    await Promise.all(servers.map((s) => s.server.stop()));
  }
}

// ---- latency ----------------------------------------------------------------------------------

interface Subscriber {
  /** Resolves each `data` frame to the sequence number it carries. */
  onEvent(listener: (seq: number) => void): void;
  close(): void;
}

async function subscribeSwitchboard(port: number): Promise<Subscriber> {
  const host = `127.0.0.1:${port}`;
  const res = await fetch(`http://${host}/auth/dev-token`, { method: 'POST', body: JSON.stringify({ username: 'bench', groups: [] }) });
  const { token } = (await res.json()) as { token: string };
  const auth = { host, Authorization: token };
  const ws = new WebSocket(`ws://${host}/graphql/realtime`, ['graphql-ws', `header-${Buffer.from(JSON.stringify(auth)).toString('base64url')}`], { perMessageDeflate: false });
  let listener: (seq: number) => void = () => {};
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as { type: string; payload?: { data?: { onPublishMsgFromEb?: string } } };
      if (frame.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: 's', type: 'start', payload: { data: JSON.stringify({ query: 'subscription { onPublishMsgFromEb }' }), extensions: { authorization: auth } } }));
      } else if (frame.type === 'start_ack') resolve();
      else if (frame.type === 'data') listener(Number(frame.payload?.data?.onPublishMsgFromEb));
      else if (frame.type === 'error' || frame.type === 'connection_error') reject(new Error(JSON.stringify(frame)));
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
  });
  return { onEvent: (l) => (listener = l), close: () => ws.close() };
}

async function subscribePeer(port: number): Promise<Subscriber> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/events`, { perMessageDeflate: false });
  let listener: (seq: number) => void = () => {};
  ws.on('message', (data) => listener(Number((JSON.parse(data.toString()) as { detail: { msg: string } }).detail.msg)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { onEvent: (l) => (listener = l), close: () => ws.close() };
}

interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly sent: number;
  readonly received: number;
  readonly failed: number;
  readonly cpuUsPerEvent: number;
}

/** Connections kept open by the generator's agent. */
const POOL = 64;

/** One GET on its own new connection of `agent` (kept open afterwards); the answer's status does not matter. */
function openConnection(agent: Agent, port: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'GET', path: '/healthz', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve());
    });
    req.on('error', () => resolve());
    req.end();
  });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Paces one-event PutEvents at RATE/s for `seconds`; answers the latency of the frames that came back. */
async function paced(s: Server, key: Key | undefined, sub: Subscriber, bus: string | undefined, seconds: number, firstSeq: number): Promise<Latency> {
  const agent = new Agent({ keepAlive: true, maxSockets: POOL });
  const sentAt = new Map<number, number>();
  const latencies: number[] = [];
  let failed = 0;
  let received = 0;
  sub.onEvent((seq) => {
    const t0 = sentAt.get(seq);
    if (t0 === undefined) return;
    latencies.push(performance.now() - t0);
    received++;
  });
  const inFlight = new Set<Promise<void>>();
  const total = Math.round(RATE * seconds);
  // Every request is built and signed before the clock starts: the load generator shares the
  // machine's two cores with the server, and signing while pacing (its CPU and garbage) delayed
  // the generator's own reading of the frames, which counted as latency of the signed contender.
  const prepared: { body: string; headers: Record<string, string> }[] = [];
  for (let k = 0; k < total; k++) {
    const body = JSON.stringify({ Entries: [{ ...(bus !== undefined ? { EventBusName: bus } : {}), Source: 'sample.source', DetailType: 'message', Detail: JSON.stringify({ msg: String(firstSeq + k) }) }] });
    prepared.push({ body, headers: await sign(key, s.port, body) });
  }
  const send = async (seq: number): Promise<void> => {
    const { body, headers } = prepared[seq - firstSeq] as { body: string; headers: Record<string, string> };
    await new Promise<void>((resolve) => {
      sentAt.set(seq, performance.now());
      const req = request({ host: '127.0.0.1', port: s.port, method: 'POST', path: '/', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          if (res.statusCode !== 200 || (JSON.parse(Buffer.concat(chunks).toString()) as { FailedEntryCount: number }).FailedEntryCount !== 0) failed++;
          resolve();
        });
      });
      req.on('error', () => {
        failed++;
        resolve();
      });
      req.end(body);
    });
  };
  // The pool's connections are opened before the clock starts, as a long-running client (an AWS
  // SDK with keep-alive) has them: otherwise the first requests of every round paid a TCP
  // handshake, and the server accepting 64 sockets at once, as latency. The generator's garbage
  // from signing is collected now rather than during the first timed milliseconds.
  await Promise.all(Array.from({ length: POOL }, () => openConnection(agent, s.port)));
  (globalThis as { gc?: () => void }).gc?.();
  const cpu0 = s.server.cpuSeconds();
  const start = performance.now();
  let i = 0;
  while (i < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) * RATE) / 1000) + 1);
    for (; i < due; i++) {
      const p = send(firstSeq + i);
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  // Let the last frames arrive.
  const settleUntil = performance.now() + 2_000;
  while (received < total - failed && performance.now() < settleUntil) await new Promise((resolve) => setTimeout(resolve, 10));
  const cpuUsPerEvent = ((s.server.cpuSeconds() - cpu0) / total) * 1e6;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), max: sorted[sorted.length - 1] ?? NaN, sent: total, received, failed, cpuUsPerEvent };
}

async function latency(dir: string): Promise<void> {
  const servers: { s: Server; key: Key | undefined; sub: Subscriber; bus: string | undefined }[] = [];
  try {
    const sb = await startSwitchboard('examples/eventbridge-to-graphql', join(dir, 'sb-latency'));
    servers.push({ s: sb, key: sb.key, sub: await subscribeSwitchboard(sb.port), bus: 'eb-appsync-bus' });
    const peer = await startPeer(join(dir, 'peer-latency'));
    servers.push({ s: peer, key: undefined, sub: await subscribePeer(peer.port), bus: undefined });
    let seq = 0;
    for (const x of servers) {
      const warm = await paced(x.s, x.key, x.sub, x.bus, WARMUP_SECONDS, seq);
      seq += warm.sent;
      if (warm.received === 0) throw new Error(`${x.s.name}: no event reached the subscriber during warm-up`);
    }
    const samples = new Map<Server, Latency[]>(servers.map((x) => [x.s, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const x of servers) {
        const l = await paced(x.s, x.key, x.sub, x.bus, LATENCY_SECONDS, seq);
        seq += l.sent;
        samples.get(x.s)?.push(l);
      }
    }
    const sum = (s: Server) => {
      const list = samples.get(s) ?? [];
      return {
        p50: median(list.map((x) => x.p50)),
        p99: median(list.map((x) => x.p99)),
        max: median(list.map((x) => x.max)),
        cpu: median(list.map((x) => x.cpuUsPerEvent)),
        lost: list.reduce((a, x) => a + (x.sent - x.failed - x.received), 0),
        failed: list.reduce((a, x) => a + x.failed, 0),
        rounds: list.map((x) => `${x.p50.toFixed(2)}/${x.p99.toFixed(2)} (${x.received}/${x.sent} received)`).join(', '),
      };
    };
    const ours = sum(sb);
    const theirs = sum(peer);
    printTable(`PutEvents → subscriber data frame at ${RATE} events/s, 1 event/request — ${ROUNDS} rounds x ${LATENCY_SECONDS}s, medians (peer: commit then raw ws broadcast, no GraphQL)`, [
      { metric: 'p50 ms', ours: ours.p50, peer: theirs.p50, peerName: peer.name, better: 'lower' },
      { metric: 'p99 ms', ours: ours.p99, peer: theirs.p99, peerName: peer.name, better: 'lower', goal: '< 10' },
      { metric: 'max ms (median of rounds)', ours: ours.max, peer: theirs.max, peerName: peer.name, better: 'lower' },
      { metric: 'server CPU µs/event (ingest + delivery)', ours: ours.cpu, peer: theirs.cpu, peerName: peer.name, better: 'lower' },
    ]);
    console.log(`rounds (p50/p99 ms): switchboard ${ours.rounds}; peer ${theirs.rounds}`);
    console.log(`for orientation, not this run: AWS EventBridge → Lambda p50 ${AWS.lambdaP50} ms, p99 ${AWS.lambdaP99} ms; ratio ours/AWS p50 ${(ours.p50 / AWS.lambdaP50).toFixed(3)}x, p99 ${(ours.p99 / AWS.lambdaP99).toFixed(3)}x (lower is better)`);
    for (const [name, x] of [['switchboard', ours], ['peer', theirs]] as const) {
      if (x.failed > 0 || x.lost > 0) console.log(`warning: ${name}: ${x.failed} PutEvents failed, ${x.lost} accepted events never reached the subscriber`);
    }
  } finally {
    for (const x of servers) x.sub.close();
    await Promise.all(servers.map((x) => x.s.server.stop()));
  }
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-ingest-'));
  try {
    if (process.env.INGEST_ONLY !== 'latency') await throughput(dir);
    if (process.env.INGEST_ONLY !== 'throughput') await latency(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
