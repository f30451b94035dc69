/**
 * The load generator of bench/fanout for one server: a child process that holds that server's n
 * subscribers (one WebSocket each, graphql-transport-ws), publishes, and times what it is asked to,
 * one command at a time from the bench (`FanoutLoad` below is the bench's side). A process of its
 * own per server, so that the three servers can keep their n subscribers open at once and be
 * measured in alternation (a process may hold 20,000 sockets here: not 3 x 10,000), and so that
 * each server's load generator CPU is its own.
 * Usage (by the bench): node --import ./bin/typescript-loader.mjs bench/lib/fanout-load.ts '<LoadConfig JSON>'
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { procCpuSeconds } from './process.ts';
import { signedPost, type AccessKey } from './sign.ts';

export interface LoadConfig {
  readonly name: string;
  /** The server's process, whose CPU and memory are read. */
  readonly pid: number;
  readonly port: number;
  readonly subscribers: number;
  readonly events: number;
  /** The connection_init payload. */
  readonly init: Record<string, string>;
  /**
   * How this server's users publish: Switchboard, the seed's IAM-only `notifyOrderUpdated`
   * mutation on /graphql, signed with this access key; a peer, the payload POSTed to /publish.
   */
  readonly publish: { readonly kind: 'mutation'; readonly accessKey: AccessKey } | { readonly kind: 'peer' };
}

/** Setup CPU of one pass, per connection: over all n, and over the second half (marginal). */
export interface SetupFigures {
  readonly allUs: number;
  readonly marginalUs: number;
}

/** What the cold pass measures (see bench/fanout.bench.ts). */
export interface ColdFigures {
  readonly rssKbPerConnection: number;
  readonly marginalRssKb: number;
  readonly coldSetupCpuUs: number;
}

/** One run of EVENTS publishes, one after the other or all at once. */
export interface RunFigures {
  readonly seconds: number;
  readonly serverCpuSeconds: number;
  readonly generatorCpuSeconds: number;
}

export type Command =
  | { readonly op: 'cold' }
  /** n connections subscribe on the running server; `keep` leaves them open, or they close. */
  | { readonly op: 'setup'; readonly keep: boolean }
  | { readonly op: 'live' }
  | { readonly op: 'run'; readonly burst: boolean }
  | { readonly op: 'latency'; readonly samples: number }
  | { readonly op: 'close' };

interface Answers {
  cold: ColdFigures;
  setup: SetupFigures;
  live: null;
  run: RunFigures;
  latency: number[];
  close: null;
}

const QUERY = 'subscription ($id: ID!) { onOrderUpdated(id: $id) { id status updatedAt } }';
const PAYLOAD = { id: 'o1', status: 'PAID', updatedAt: '2026-11-25T10:00:00.000Z' };
const PUBLISH_MUTATION = 'mutation ($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }';

/** The bench's side: starts the load generator of one server and sends it commands. */
export class FanoutLoad {
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private next = 0;

  constructor(readonly config: LoadConfig) {
    this.child = fork(new URL('./fanout-load.ts', import.meta.url).pathname, [JSON.stringify(config)], { execArgv: ['--import', './bin/typescript-loader.mjs'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error !== undefined) p?.reject(new Error(`${config.name} load generator: ${m.error}`));
      else p?.resolve(m.result);
    });
    this.child.on('exit', (code) => {
      for (const p of this.pending.values()) p.reject(new Error(`${config.name} load generator exited with ${code}`));
      this.pending.clear();
    });
  }

  call<C extends Command>(command: C): Promise<Answers[C['op']]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, command });
    });
  }

  stop(): void {
    this.child.kill();
  }
}

// ---- The child process ----

/**
 * The server's resident memory after a full garbage collection (SIGUSR2: gc-on-signal.cjs): read
 * at an arbitrary moment, it moved with V8's heap growth steps (several MB at once), which at
 * 1,000 subscribers made the per-connection figure of the second half swing between 9 and 25 KB.
 */
async function rssAfterGc(pid: number): Promise<number> {
  process.kill(pid, 'SIGUSR2');
  await new Promise((r) => setTimeout(r, 300));
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(m?.[1] ?? NaN);
}

/** Lets the server finish what the last frames asked (subscribe messages are not answered). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 300));

/** Until `expected` deliveries have arrived; the error says how many did, and how many sockets the server closed. */
async function until(subs: Subscribers, expected: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (subs.received < expected) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for deliveries: ${subs.received} of ${expected} arrived; the server closed ${subs.closedByServer} sockets`);
    await new Promise((r) => setImmediate(r));
  }
}

function publisher(config: LoadConfig): () => Promise<void> {
  const url = `http://127.0.0.1:${config.port}`;
  if (config.publish.kind === 'peer') {
    const body = JSON.stringify(PAYLOAD);
    return async () => {
      const res = await fetch(`${url}/publish`, { method: 'POST', body });
      await res.arrayBuffer();
    };
  }
  // The seed's own publish: the back end calls the IAM-only mutation, whose result AppSync (and
  // Switchboard) hands to the subscribers after the response is on its way.
  const body = JSON.stringify({ query: PUBLISH_MUTATION, variables: { input: PAYLOAD } });
  const { accessKey } = config.publish;
  // A signature stays valid for 5 minutes; it is renewed every minute.
  let signed: Record<string, string> = {};
  let signedAt = 0;
  return async () => {
    if (Date.now() - signedAt > 60_000) {
      signed = await signedPost('appsync', accessKey, config.port, '/graphql', { 'content-type': 'application/json' }, body);
      signedAt = Date.now();
    }
    const res = await fetch(`${url}/graphql`, { method: 'POST', headers: signed, body });
    const text = await res.text();
    if (res.status !== 200 || text.includes('"errors"')) throw new Error(`publish failed: ${res.status} ${text}`);
  };
}

interface Subscribers {
  received: number;
  /** Sockets closed other than by `close()`. */
  closedByServer: number;
  onMessage: (() => void) | undefined;
  close(): void;
}

function child(config: LoadConfig): void {
  const n = config.subscribers;
  const serverCpu = (): number => procCpuSeconds(config.pid);
  const publish = publisher(config);
  const wsUrl = `ws://127.0.0.1:${config.port}/graphql`;
  let open: Subscribers | undefined;

  /** Opens n subscribed connections, 200 at a time; `halfway(connected)` runs once half are open. */
  async function subscribe(halfway: (connected: number) => Promise<void>): Promise<Subscribers> {
    const subs: Subscribers = { received: 0, closedByServer: 0, onMessage: undefined, close: () => {} };
    let closing = false;
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
            const ws = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false, skipUTF8Validation: true });
            sockets.push(ws);
            ws.on('error', reject);
            ws.on('close', () => {
              if (!closing) subs.closedByServer++;
            });
            ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: config.init })));
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
    subs.close = () => {
      closing = true;
      sockets.forEach((s) => s.terminate());
    };
    return subs;
  }

  /** Until all n subscribers are live: probe events are published until one reaches every one of them. */
  async function untilLive(subs: Subscribers): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (subs.received < n) {
      if (Date.now() > deadline) throw new Error(`only ${subs.received}/${n} subscribers live`);
      const before = subs.received;
      await publish();
      await new Promise((r) => setTimeout(r, 200));
      if (subs.received >= n) break;
      subs.received = before > 0 ? 0 : subs.received;
    }
  }

  /**
   * The cold pass on the fresh server: n connections subscribe (memory read after a collection
   * before, halfway and at the end), get EVENTS events one after the other and EVENTS at once, and
   * close.
   */
  async function cold(): Promise<ColdFigures> {
    const rss0 = await rssAfterGc(config.pid);
    const cpu0 = serverCpu();
    // The collection forced at the midpoint is not setup work: its CPU is left out.
    let mid = { connected: 0, rss: 0, gcCpu: 0 };
    const subs = await subscribe(async (connected) => {
      await settle();
      const before = serverCpu();
      const rss = await rssAfterGc(config.pid);
      mid = { connected, rss, gcCpu: serverCpu() - before };
    });
    await settle();
    const setupCpu = serverCpu() - cpu0 - mid.gcCpu;
    const marginalRss = (await rssAfterGc(config.pid)) - mid.rss;
    await untilLive(subs);
    await settle();
    const rssPerConn = ((await rssAfterGc(config.pid)) - rss0) / n;
    subs.received = 0;
    for (let i = 0; i < config.events; i++) await publish();
    await Promise.all(Array.from({ length: config.events }, () => publish()));
    await until(subs, n * config.events * 2, 120_000);
    subs.close();
    await settle();
    return { rssKbPerConnection: rssPerConn, marginalRssKb: marginalRss / (n - mid.connected), coldSetupCpuUs: (setupCpu / n) * 1e6 };
  }

  async function setup(keep: boolean): Promise<SetupFigures> {
    await settle();
    const cpu0 = serverCpu();
    let mid = { connected: 0, cpu: 0 };
    const subs = await subscribe(async (connected) => {
      await settle();
      mid = { connected, cpu: serverCpu() };
    });
    await settle();
    const end = serverCpu();
    if (keep) open = subs;
    else subs.close();
    return { allUs: ((end - cpu0) / n) * 1e6, marginalUs: ((end - mid.cpu) / (n - mid.connected)) * 1e6 };
  }

  function subscribed(): Subscribers {
    if (open === undefined) throw new Error('no subscribers open: a setup pass with keep comes first');
    return open;
  }

  /** EVENTS publishes, one after the other (each answered before the next is sent) or all at once. */
  async function run(burst: boolean): Promise<RunFigures> {
    const subs = subscribed();
    subs.received = 0;
    const cpu0 = serverCpu();
    const gen0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    if (burst) await Promise.all(Array.from({ length: config.events }, () => publish()));
    else for (let i = 0; i < config.events; i++) await publish();
    await until(subs, n * config.events, 120_000);
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const gen = process.cpuUsage(gen0);
    return { seconds, serverCpuSeconds: serverCpu() - cpu0, generatorCpuSeconds: (gen.user + gen.system) / 1e6 };
  }

  /** Publish to last subscriber, one event at a time, in ms. */
  async function latency(samples: number): Promise<number[]> {
    const subs = subscribed();
    const out: number[] = [];
    for (let i = 0; i < samples; i++) {
      subs.received = 0;
      const start = process.hrtime.bigint();
      const done = new Promise<void>((resolve) => {
        subs.onMessage = () => {
          if (subs.received >= n) resolve();
        };
      });
      await publish();
      await done;
      out.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    subs.onMessage = undefined;
    return out;
  }

  const handle = async (command: Command): Promise<unknown> => {
    switch (command.op) {
      case 'cold':
        return cold();
      case 'setup':
        return setup(command.keep);
      case 'live':
        await untilLive(subscribed());
        return null;
      case 'run':
        return run(command.burst);
      case 'latency':
        return latency(command.samples);
      case 'close':
        open?.close();
        open = undefined;
        return null;
    }
  };
  process.on('message', (m: { id: number; command: Command }) => {
    handle(m.command).then(
      (result) => process.send?.({ id: m.id, result }),
      (e: unknown) => process.send?.({ id: m.id, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
  });
  // The bench gone, this process goes too.
  process.on('disconnect', () => process.exit(0));
}

if (process.send !== undefined && process.argv[2] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href) child(JSON.parse(process.argv[2]) as LoadConfig);
