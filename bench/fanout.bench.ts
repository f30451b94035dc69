/**
 * bench/fanout: one topic, N subscribers (one WebSocket each, graphql-transport-ws), events
 * published as fast as the publisher can: Switchboard vs the graphql-ws reference server vs a bare
 * `ws` broadcast of the same bytes (the hardware ceiling), in the same run.
 * Deliveries/s two ways: EVENTS publishes one after the other (each request answered before the
 * next is sent), and the same EVENTS sent at once (a burst of mutations: a server may batch what
 * is queued; the peers broadcast each message as it comes, as bare `ws` does), each five times per
 * round, the median. A publish is what each server's users send: for Switchboard the seed's
 * `notifyOrderUpdated` mutation, signed as its back end signs it, answered once executed (the
 * subscribers get its result after the response is on its way, as on AppSync); for the
 * graphql-ws peer a POST answered once its pub/sub has queued the payload for every subscriber
 * (its executions and writes follow); for bare `ws` a POST answered once the frame is written to
 * every socket. Switchboard used to publish through its admin route, which answers with the number
 * of subscribers reached, so only after the fan-out: its publisher waited for each fan-out, the
 * graphql-ws peer's did not.
 * One publish after the other, bare `ws` writes a message to every socket before the next is
 * published, so each delivery is a socket write of its own: the ceiling then reaches some
 * 2.7-3.2x graphql-ws (its CPU per delivery is the kernel's write, a quarter of graphql-ws's).
 * The other two answer before their fan-out, so the next publish can overlap it; Switchboard then
 * sends the messages queued meanwhile together (a subscriber's share in one write). At 1,000
 * subscribers a fan-out takes a few milliseconds and little queues; at 10,000 it takes some 90 ms
 * and one publish after the other comes close to the burst. So the 5x goal against graphql-ws is
 * read on the burst line, and the bench prints the ceiling's own ratio beside the other.
 * Figures: deliveries/s, publish-to-last-subscriber latency p50/p99, server CPU per delivery and
 * the load generator's own CPU (both in the one-after-the-other run), setup CPU and RSS per idle
 * subscribed connection.
 * Each round starts fresh servers, and each server is measured in two passes of n connections:
 * - cold: on the fresh server, n connections subscribe, receive events one at a time and in a
 *   burst, and close. Memory is measured here, after a full garbage collection (`rssAfterGc`):
 *   over all n, which charges the server's warm-up (JIT code, heap growth) to the connections
 *   too, and marginally, over the second half. The goal is read on the all-n figure: after a
 *   collection, the pages the first half freed serve the second half's, so the marginal figure
 *   reads low (below bare `ws`'s). The setup CPU of this pass is printed as the cold figure;
 * - warm: n connections again, on the server as it runs from then on. Setup CPU (all n, and
 *   marginally over the second half: what one more connection costs as n grows), deliveries and
 *   latency are measured here. The setup CPU goal is read on the marginal figure. After the
 *   latency samples the connections close and n more subscribe, FANOUT_SETUP_PASSES - 1 times
 *   (default 3 passes in all): the setup figures are the median of the passes, since a single
 *   pass's reading moved with the machine by up to half, for bare `ws` as for us.
 * Setup CPU used to be read on the second half of a single pass, on the assumption that the first
 * half had warmed the server up. At 1,000 subscribers it had not: V8 was still optimizing the
 * connection path after thousands of connections (116 more functions during 3,000 connections that
 * followed 500), and its compiler threads were about a third of the server's CPU then.
 * Latency is sampled one event at a time, the same number of times for each server: 500 times per
 * round at 1,000 subscribers, 200 at 10,000 (`latencySamples`). Earlier versions took 20 samples,
 * so "p99" was the slowest one, and a single scheduling hiccup on this 2-core machine (of the
 * server, or of this load generator, which reads every delivery) decided it: unchanged code
 * measured anywhere from 0.98x to 2.05x bare from run to run, with a steady p50. The slowest
 * sample is printed as well.
 * Env: FANOUT_SUBSCRIBERS (default "1000,10000"), FANOUT_EVENTS (default 50), BENCH_ROUNDS (default 3),
 * FANOUT_LATENCY_SAMPLES (overrides the number of latency samples), FANOUT_SETUP_PASSES (default 3).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { freePort, startServer, type ServerProcess } from './lib/process.ts';
import { median, printTable, type Row } from './lib/report.ts';

const SIZES = (process.env.FANOUT_SUBSCRIBERS ?? '1000,10000').split(',').map(Number);
const EVENTS = Number(process.env.FANOUT_EVENTS ?? 50);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Latency samples per round and server: 500 at 1,000 subscribers, fewer for more (each takes longer), 200 at least. */
const latencySamples = (n: number): number => Number(process.env.FANOUT_LATENCY_SAMPLES ?? Math.max(200, Math.min(1000, Math.round(500_000 / n))));
const BURSTS = 5;
/** Warm passes per round and server for the setup CPU figures (the first is the one deliveries are measured on). */
const SETUP_PASSES = Number(process.env.FANOUT_SETUP_PASSES ?? 3);
const QUERY = 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';
const PAYLOAD = { id: 'o1', status: 'PAID', updatedAt: '2026-11-25T10:00:00.000Z' };
const PUBLISH_MUTATION = 'mutation ($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }';

interface Target {
  readonly name: string;
  readonly server: ServerProcess;
  readonly wsUrl: string;
  readonly init: Record<string, string>;
  publish(): Promise<void>;
}

interface Figures {
  readonly deliveriesPerSecond: number;
  /** The same EVENTS published all at once (concurrent requests), as a burst of mutations would. */
  readonly burstDeliveriesPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  /** The slowest latency sample. */
  readonly max: number;
  readonly serverCpuUsPerDelivery: number;
  readonly rssKbPerConnection: number;
  readonly generatorCpuUsPerDelivery: number;
  /** Server CPU from upgrade to live subscription, per connection (includes connection_init/ack), in the warm pass. */
  readonly setupCpuUsPerSubscription: number;
  /** The same in the cold pass, on the fresh server (JIT, heap growth). */
  readonly coldSetupCpuUs: number;
  /** The same, over the second half of the warm pass's connections only: the marginal cost. */
  readonly marginalSetupCpuUs: number;
  /** RSS growth over the second half of the cold pass's connections, per connection. */
  readonly marginalRssKb: number;
}

/** Node flags for every server measured: SIGUSR2 makes it collect its garbage (gc-on-signal.cjs). */
const GC_ON_SIGNAL = ['--expose-gc', '--require', join(process.cwd(), 'bench/lib/gc-on-signal.cjs')];

/**
 * The server's resident memory after a full garbage collection: read at an arbitrary moment, it
 * moved with V8's heap growth steps (several MB at once), which at 1,000 subscribers made the
 * per-connection figure of the second half swing between 9 and 25 KB from run to run.
 */
async function rssAfterGc(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  return rssKb(pid);
}

function rssKb(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

async function startSwitchboard(dir: string): Promise<Target> {
  const port = await freePort();
  const dataDir = join(dir, 'sb');
  const server = await startServer(process.execPath, [...GC_ON_SIGNAL, 'bin/switchboard.js', 'start', 'examples/food-ordering', '--port', String(port), '--data', dataDir, '--log-level', 'warn'], /listening on http/);
  const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { apiKeys: string[]; accessKeys: { accessKeyId: string; secretAccessKey: string }[] };
  // The seed's own publish: the back end calls the IAM-only mutation, whose result AppSync (and
  // Switchboard) hands to the subscribers after the response is on its way.
  const body = JSON.stringify({ query: PUBLISH_MUTATION, variables: { input: PAYLOAD } });
  const signer = new SignatureV4({ service: 'appsync', region: 'us-east-1', sha256: Sha256, credentials: creds.accessKeys[0] as { accessKeyId: string; secretAccessKey: string } });
  // A signature stays valid for 5 minutes; a round re-signs to stay inside it.
  let signed: Record<string, string> = {};
  let signedAt = 0;
  return {
    name: 'switchboard',
    server,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    init: { 'x-api-key': creds.apiKeys[0] ?? '' },
    async publish() {
      if (Date.now() - signedAt > 60_000) {
        const req = await signer.sign({ method: 'POST', protocol: 'http:', hostname: '127.0.0.1', port, path: '/graphql', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' }, body });
        signed = req.headers as Record<string, string>;
        signedAt = Date.now();
      }
      const res = await fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: signed, body });
      const text = await res.text();
      if (res.status !== 200 || text.includes('"errors"')) throw new Error(`publish failed: ${res.status} ${text}`);
    },
  };
}

async function startPeer(kind: 'graphql-ws' | 'bare'): Promise<Target> {
  const port = await freePort();
  const server = await startServer(process.execPath, [...GC_ON_SIGNAL, '--import', './bin/typescript-loader.mjs', 'bench/peers/fanout-peer.ts', kind, String(port)], /ready/);
  const body = JSON.stringify(PAYLOAD);
  return {
    name: kind,
    server,
    wsUrl: `ws://127.0.0.1:${port}/graphql`,
    init: {},
    async publish() {
      const res = await fetch(`http://127.0.0.1:${port}/publish`, { method: 'POST', body });
      await res.arrayBuffer();
    },
  };
}

interface Subscribers {
  received: number;
  onMessage: (() => void) | undefined;
  close(): void;
}

/** Opens n subscribed connections, 200 at a time; `halfway(connected)` runs once half are open. */
async function subscribe(target: Target, n: number, halfway: (connected: number) => Promise<void>): Promise<Subscribers> {
  const subs: Subscribers = { received: 0, onMessage: undefined, close: () => {} };
  const sockets: WebSocket[] = [];
  const batch = 200;
  let half = false;
  for (let i = 0; i < n; i += batch) {
    if (!half && i >= n / 2) {
      half = true;
      await halfway(i);
    }
    await Promise.all(
      Array.from({ length: Math.min(batch, n - i) }, () =>
        new Promise<void>((resolve, reject) => {
          // The load generator shares the machine's two cores with the server: it skips UTF-8
          // validation and, once acknowledged, only counts messages, so that it is not what a
          // burst measures.
          const ws = new WebSocket(target.wsUrl, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
          sockets.push(ws);
          ws.on('error', reject);
          ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: target.init })));
          let acked = false;
          ws.on('message', (data) => {
            if (!acked && data.toString().includes('"connection_ack"')) {
              acked = true;
              ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: QUERY, variables: { id: 'o1' } } }));
              resolve();
              return;
            }
            subs.received++;
            subs.onMessage?.();
          });
        }),
      ),
    );
  }
  subs.close = () => sockets.forEach((s) => s.terminate());
  return subs;
}

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for deliveries');
    await new Promise((r) => setImmediate(r));
  }
}

/** Lets the server finish what the last frames asked (subscribe messages are not answered). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

/** Until all n subscribers are live: probe events are published until one reaches every one of them. */
async function untilLive(target: Target, subs: Subscribers, n: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (subs.received < n) {
    if (Date.now() > deadline) throw new Error(`${target.name}: only ${subs.received}/${n} subscribers live`);
    const before = subs.received;
    await target.publish();
    await new Promise((r) => setTimeout(r, 200));
    if (subs.received >= n) break;
    subs.received = before > 0 ? 0 : subs.received;
  }
}

/** What the cold pass measured (see the header). */
interface ColdFigures {
  readonly rssKbPerConnection: number;
  readonly marginalRssKb: number;
  readonly coldSetupCpuUs: number;
}

/**
 * The cold pass on the fresh server (see the header): n connections subscribe (memory read after
 * a collection before, halfway and at the end), get EVENTS events one after the other and EVENTS
 * at once, and close.
 */
async function coldPass(target: Target, n: number): Promise<ColdFigures> {
  const rss0 = await rssAfterGc(target.server.pid);
  const cpu0 = target.server.cpuSeconds();
  // The collection forced at the midpoint is not setup work: its CPU is left out.
  let mid = { connected: 0, rss: 0, gcCpu: 0 };
  const subs = await subscribe(target, n, async (connected) => {
    await settle();
    const before = target.server.cpuSeconds();
    const rss = await rssAfterGc(target.server.pid);
    mid = { connected, rss, gcCpu: target.server.cpuSeconds() - before };
  });
  await settle();
  const setupCpu = target.server.cpuSeconds() - cpu0 - mid.gcCpu;
  const marginalRss = (await rssAfterGc(target.server.pid)) - mid.rss;
  await untilLive(target, subs, n);
  await settle();
  const rssPerConn = ((await rssAfterGc(target.server.pid)) - rss0) / n;
  subs.received = 0;
  for (let i = 0; i < EVENTS; i++) await target.publish();
  await Promise.all(Array.from({ length: EVENTS }, () => target.publish()));
  await until(() => subs.received >= n * EVENTS * 2, 120_000);
  subs.close();
  await settle();
  return { rssKbPerConnection: rssPerConn, marginalRssKb: marginalRss / (n - mid.connected), coldSetupCpuUs: (setupCpu / n) * 1e6 };
}

/** Setup CPU of one warm pass, per connection: over all n, and over the second half (marginal). */
interface SetupFigures {
  readonly allUs: number;
  readonly marginalUs: number;
}

/** n connections subscribe on the running server; they stay open. */
async function warmSetup(target: Target, n: number): Promise<{ subs: Subscribers; setup: SetupFigures }> {
  const setupCpu0 = target.server.cpuSeconds();
  let mid = { connected: 0, cpu: 0 };
  const subs = await subscribe(target, n, async (connected) => {
    await settle();
    mid = { connected, cpu: target.server.cpuSeconds() };
  });
  await settle();
  const setupCpuEnd = target.server.cpuSeconds();
  return { subs, setup: { allUs: ((setupCpuEnd - setupCpu0) / n) * 1e6, marginalUs: ((setupCpuEnd - mid.cpu) / (n - mid.connected)) * 1e6 } };
}

async function measure(target: Target, n: number): Promise<Figures> {
  const cold = await coldPass(target, n);
  // The warm pass: n connections again. Marginal figures: their second half, what one more
  // connection costs as n grows.
  const { subs, setup: warm } = await warmSetup(target, n);
  await untilLive(target, subs, n);

  // Throughput: EVENTS back to back, BURSTS times, the median run (one run of 50 events lasts
  // under half a second at 1,000 subscribers: alone, it moved by a fifth between rounds). CPU
  // figures are over all the runs.
  const runs: number[] = [];
  const cpu0 = target.server.cpuSeconds();
  const gen0 = process.cpuUsage();
  for (let r = 0; r < BURSTS; r++) {
    subs.received = 0;
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < EVENTS; i++) await target.publish();
    await until(() => subs.received >= n * EVENTS, 120_000);
    runs.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const seconds = median(runs);
  const cpu = (target.server.cpuSeconds() - cpu0) / BURSTS;
  const gen = process.cpuUsage(gen0);
  const deliveries = n * EVENTS;

  // Burst: the EVENTS published at once, each request in flight together; BURSTS times, the
  // median (a single burst is one JIT-cold sample: the first often takes twice the later ones).
  const bursts: number[] = [];
  for (let b = 0; b < BURSTS; b++) {
    subs.received = 0;
    const b0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: EVENTS }, () => target.publish()));
    await until(() => subs.received >= n * EVENTS, 120_000);
    bursts.push(Number(process.hrtime.bigint() - b0) / 1e9);
  }
  const burstSeconds = median(bursts);

  // Latency: one event at a time, publish to last subscriber.
  const latencies: number[] = [];
  const samples = latencySamples(n);
  for (let i = 0; i < samples; i++) {
    subs.received = 0;
    const start = process.hrtime.bigint();
    const done = new Promise<void>((resolve) => {
      subs.onMessage = () => {
        if (subs.received >= n) resolve();
      };
    });
    await target.publish();
    await done;
    latencies.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  subs.onMessage = undefined;
  subs.close();
  latencies.sort((a, b) => a - b);
  // More warm passes for the setup figures alone: one pass's reading moved with the machine (bare
  // ws's marginal figure read 92 µs in one 10k run and 141 in the next, ours 149 and 155), so
  // the figures are the median over SETUP_PASSES passes.
  const setups = [warm];
  for (let p = 1; p < SETUP_PASSES; p++) {
    await settle();
    const again = await warmSetup(target, n);
    again.subs.close();
    setups.push(again.setup);
  }
  return {
    deliveriesPerSecond: deliveries / seconds,
    burstDeliveriesPerSecond: deliveries / burstSeconds,
    p50: latencies[Math.floor(latencies.length * 0.5)] ?? NaN,
    p99: latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * 0.99))] ?? NaN,
    max: latencies[latencies.length - 1] ?? NaN,
    serverCpuUsPerDelivery: (cpu / deliveries) * 1e6,
    rssKbPerConnection: cold.rssKbPerConnection,
    generatorCpuUsPerDelivery: (gen.user + gen.system) / BURSTS / deliveries,
    setupCpuUsPerSubscription: median(setups.map((s) => s.allUs)),
    coldSetupCpuUs: cold.coldSetupCpuUs,
    marginalSetupCpuUs: median(setups.map((s) => s.marginalUs)),
    marginalRssKb: cold.marginalRssKb,
  };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-fanout-'));
  try {
    for (const n of SIZES) {
      const results = new Map<string, Figures[]>();
      for (let round = 0; round < ROUNDS; round++) {
        // Fresh servers per round, so idle-memory figures are not polluted by earlier rounds.
        for (const make of [() => startSwitchboard(dir), () => startPeer('graphql-ws'), () => startPeer('bare')]) {
          const target = await make();
          try {
            const f = await measure(target, n);
            results.set(target.name, [...(results.get(target.name) ?? []), f]);
          } finally {
            await target.server.stop();
          }
        }
      }
      const med = (name: string, key: keyof Figures) => median((results.get(name) ?? []).map((f) => f[key]));
      const rows: Row[] = [];
      // One publish after the other, what the ceiling itself reaches against graphql-ws (see the header).
      const ceiling = med('bare', 'deliveriesPerSecond') / med('graphql-ws', 'deliveriesPerSecond');
      for (const peer of ['graphql-ws', 'bare']) {
        const goal = (g: string, b: string) => (peer === 'graphql-ws' ? g : b);
        rows.push(
          { metric: 'deliveries/s, one publish after the other', ours: med('switchboard', 'deliveriesPerSecond'), peer: med(peer, 'deliveriesPerSecond'), peerName: peer, better: 'higher', goal: goal(`(bare ws: ${ceiling.toFixed(2)}x)`, '>= 0.8x') },
          { metric: `deliveries/s, ${EVENTS} events published at once`, ours: med('switchboard', 'burstDeliveriesPerSecond'), peer: med(peer, 'burstDeliveriesPerSecond'), peerName: peer, better: 'higher', goal: goal('>= 5x', '>= 0.8x') },
          { metric: 'publish→last subscriber p50 ms', ours: med('switchboard', 'p50'), peer: med(peer, 'p50'), peerName: peer, better: 'lower', goal: goal('', '<= 1.2x') },
          { metric: 'publish→last subscriber p99 ms', ours: med('switchboard', 'p99'), peer: med(peer, 'p99'), peerName: peer, better: 'lower', goal: goal('', '<= 1.2x') },
          { metric: `publish→last subscriber, slowest of ${latencySamples(n)} ms`, ours: med('switchboard', 'max'), peer: med(peer, 'max'), peerName: peer, better: 'lower' },
          { metric: 'server CPU µs/delivery', ours: med('switchboard', 'serverCpuUsPerDelivery'), peer: med(peer, 'serverCpuUsPerDelivery'), peerName: peer, better: 'lower' },
          { metric: 'server CPU µs per connection+subscription setup, cold pass (fresh server), all n', ours: med('switchboard', 'coldSetupCpuUs'), peer: med(peer, 'coldSetupCpuUs'), peerName: peer, better: 'lower' },
          { metric: 'server CPU µs per connection+subscription setup, warm pass, all n', ours: med('switchboard', 'setupCpuUsPerSubscription'), peer: med(peer, 'setupCpuUsPerSubscription'), peerName: peer, better: 'lower' },
          { metric: 'server CPU µs per connection+subscription setup, warm pass, marginal (2nd half)', ours: med('switchboard', 'marginalSetupCpuUs'), peer: med(peer, 'marginalSetupCpuUs'), peerName: peer, better: 'lower', goal: goal('', '<= 1.5x') },
          { metric: 'RSS KB per idle subscribed connection, all n (with the costs of warm-up)', ours: med('switchboard', 'rssKbPerConnection'), peer: med(peer, 'rssKbPerConnection'), peerName: peer, better: 'lower', goal: goal('', 'ours < 20 KB') },
          { metric: 'RSS KB per idle subscribed connection, marginal (2nd half)', ours: med('switchboard', 'marginalRssKb'), peer: med(peer, 'marginalRssKb'), peerName: peer, better: 'lower' },
          { metric: 'load generator CPU µs/delivery', ours: med('switchboard', 'generatorCpuUsPerDelivery'), peer: med(peer, 'generatorCpuUsPerDelivery'), peerName: peer, better: 'lower' },
        );
      }
      printTable(`${n} subscribers on one topic, ${EVENTS} events, ${ROUNDS} rounds, medians`, rows);
      const burst = med('switchboard', 'burstDeliveriesPerSecond') / med('graphql-ws', 'burstDeliveriesPerSecond');
      console.log(
        `\nDeliveries/s against graphql-ws (goal 5x): read on the burst, ${burst.toFixed(2)}x (${burst >= 5 ? 'met' : 'NOT met'}). ` +
          `One publish after the other, the bare ws ceiling reaches ${ceiling.toFixed(2)}x graphql-ws (a socket write per delivery); more takes sending queued messages together.`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
