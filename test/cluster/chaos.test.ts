/**
 * Cluster mode under faults: three nodes serving food-ordering under a steady load of PutEvents
 * (each an order update that the `UpdateOrder` rule turns into a `notifyOrderUpdated` mutation),
 * orders (each starts a workflow with timers) and a subscriber; then
 * 1. `kill -9` of the node the subscriber is connected to: the subscriber reconnects to another node
 *    and resumes from the last offset it saw; the node comes back later;
 * 2. the NATS server is restarted (stopped, down for 3 s, started again on its JetStream store);
 * 3. the PostgreSQL server is restarted the hard way ("immediate" shutdown, down for 3 s, started
 *    again: it recovers from its WAL as after a crash).
 * After each: every event acknowledged by PutEvents reached the subscriber (none lost), and every
 * order acknowledged by createOrder ran its workflow to the end (none stalled), exactly once.
 *
 * The machine's PostgreSQL and NATS are shared with the other suites running in parallel, so this
 * test restarts servers of its own: a private `nats-server -js` and a private PostgreSQL
 * (test/support/private-servers.ts), the same binaries, with their data on disk. Skipped loudly
 * when those binaries are missing; a failure when CI=true.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { postGraphql } from '../support/server-process.ts';
import { connectRaw, headerProtocol, type RawClient } from '../support/ws-client.ts';
import { findPrivateServerBinaries, startPrivateNats, startPrivatePostgres, type PrivateServer } from '../support/private-servers.ts';
import { startCluster, type TestCluster } from './support.ts';

const binaries = findPrivateServerBinaries();
const skip = 'skip' in binaries ? binaries.skip : false;
let cluster: TestCluster | undefined;
let nats: PrivateServer | undefined;
let postgres: PrivateServer | undefined;
const BASE = Date.parse('2026-12-05T00:00:00.000Z');
type Key = { accessKeyId: string; secretAccessKey: string };

before(async () => {
  if ('skip' in binaries) return;
  [nats, postgres] = await Promise.all([startPrivateNats(binaries), startPrivatePostgres(binaries)]);
  cluster = await startCluster({ postgresUrl: postgres.url, natsUrl: nats.url, skip: false }, 'examples/food-ordering', 3, { SB_ORDER_WAIT_SECONDS: '1' });
});

after(async () => {
  // A failed restart leaves a server down: start it so the cluster's clean-up can run.
  for (const server of [nats, postgres]) await server?.start().catch(() => undefined);
  await cluster?.close().catch(() => undefined);
  await Promise.all([nats?.close(), postgres?.close()]);
});

/** A subscriber of `onOrderUpdated(id: "chaos")` that follows the cluster: on a close it reconnects to the next live node and resumes. */
class Follower {
  readonly seen = new Map<string, number>();
  /** Connections made, the first included. */
  connections = 0;
  /** `<port>:<close code>` of each connection that ended. */
  readonly closes: string[] = [];
  private offset = 0;
  private client: RawClient | undefined;
  private stopped = false;
  constructor(
    private readonly urls: () => string[],
    private readonly apiKey: string,
  ) {}

  async connect(preferred = 0): Promise<void> {
    const urls = this.urls();
    for (let attempt = 0; attempt < 40 && !this.stopped; attempt++) {
      const url = urls[(preferred + attempt) % urls.length] as string;
      try {
        const auth = { host: new URL(url).host, 'x-api-key': this.apiKey };
        const c = await connectRaw(`${url.replace('http', 'ws')}/graphql/realtime`, ['graphql-ws', headerProtocol(auth)]);
        c.send({ type: 'connection_init' });
        await c.next((f) => f.type === 'connection_ack', 5000);
        const query = 'subscription { onOrderUpdated(id: "chaos") { id status updatedAt } }';
        c.send({ id: 's', type: 'start', payload: { data: JSON.stringify({ query }), extensions: { authorization: auth, resumeFrom: this.offset } } });
        await c.next((f) => f.type === 'start_ack', 5000);
        this.client = c;
        this.connections++;
        c.ws.on('message', (data) => {
          const frame = JSON.parse(data.toString());
          if (frame.type !== 'data') return;
          this.offset = Math.max(this.offset, frame.offset);
          const at = frame.payload.data.onOrderUpdated.updatedAt as string;
          this.seen.set(at, (this.seen.get(at) ?? 0) + 1);
        });
        // Frames that arrived before the listener above.
        for (const f of c.pending.splice(0)) c.ws.emit('message', Buffer.from(JSON.stringify(f)));
        c.ws.once('close', (code) => {
          this.closes.push(`${new URL(url).port}:${code}`);
          if (!this.stopped) void this.connect(preferred + attempt + 1);
        });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.client?.ws.close();
  }
}

async function putUpdate(url: string, key: Key, seq: number): Promise<boolean> {
  const body = JSON.stringify({
    Entries: [{ Source: 'order.processing', DetailType: 'order.updated', Detail: JSON.stringify({ order: { id: 'chaos', status: 'PREPARING', updatedAt: new Date(BASE + seq).toISOString() } }) }],
  });
  const target = new URL(url);
  const headers = { host: target.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' };
  const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: 'events', sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: '/', headers, body });
  try {
    const res = await fetch(`${url}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body, signal: AbortSignal.timeout(10_000) });
    if (res.status !== 200) return false;
    return ((await res.json()) as { FailedEntryCount: number }).FailedEntryCount === 0;
  } catch {
    return false;
  }
}

interface Load {
  /** PutEvents calls made, acknowledged or not. */
  readonly attempts: () => number;
  readonly acked: Set<string>;
  readonly orders: Set<string>;
  stop(): Promise<void>;
}

/** PutEvents every 25 ms and an order every 400 ms, round robin over the nodes that are up. */
function startLoad(urls: () => string[], key: Key, apiKey: string, firstSeq: number): Load {
  const acked = new Set<string>();
  const orders = new Set<string>();
  let running = true;
  let seq = firstSeq;
  const events = (async () => {
    for (let i = 0; running; i++) {
      const s = seq++;
      const list = urls();
      if (await putUpdate(list[i % list.length] as string, key, s)) acked.add(new Date(BASE + s).toISOString());
      await new Promise((r) => setTimeout(r, 25));
    }
  })();
  const placing = (async () => {
    for (let i = 0; running; i++) {
      const list = urls();
      try {
        const out = await postGraphql(list[i % list.length] as string, { query: 'mutation { createOrder(input: { products: [{ name: "soup", quantity: 1 }] }) { id } }' }, { 'x-api-key': apiKey });
        const id = out.json?.data?.createOrder?.id;
        if (out.status === 200 && typeof id === 'string') orders.add(id);
      } catch {
        // Not acknowledged: not counted.
      }
      await new Promise((r) => setTimeout(r, 400));
    }
  })();
  return {
    attempts: () => seq - firstSeq,
    acked,
    orders,
    async stop() {
      running = false;
      await Promise.all([events, placing]);
    },
  };
}

async function until(what: string, check: () => Promise<boolean> | boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Every acknowledged update reached the follower; every acknowledged order's workflow finished, once. */
/** The last warnings and errors each node logged: what a failed check shows beside its own findings. */
function nodeTroubles(cluster: TestCluster): string {
  return cluster.nodes
    .map((n, i) => {
      const lines = n.output().split('\n').filter((l) => /warn|error/i.test(l) && !/NodeVersionSupportWarning|node >=22|upgrade to node/.test(l));
      return `node ${i + 1}: ${lines.slice(-8).join('\n') || '(none)'}`;
    })
    .join('\n');
}

async function checkNothingLost(phase: string, load: Load, follower: Follower, url: string, apiKey: string, report: (line: string) => void, cluster: TestCluster): Promise<void> {
  const missing = (): string[] => [...load.acked].filter((at) => !follower.seen.has(at));
  await until(`the follower to see all ${load.acked.size} acknowledged updates`, () => missing().length === 0, 90_000).catch((error: unknown) => {
    throw new Error(`${String(error)}; missing ${missing().length}: ${missing().slice(0, 5).join(', ')}\nwhat the nodes logged:\n${nodeTroubles(cluster)}`);
  });
  const call = async (target: string, input: object): Promise<any> => {
    const res = await fetch(`${url}/console/api/call`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
      body: JSON.stringify({ service: 'states', target: `AWSStepFunctions.${target}`, input }),
    }).catch(() => undefined);
    return res?.status === 200 ? res.json() : undefined;
  };
  const machine = 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderProcessing';
  let executions: { executionArn: string; name: string; status: string }[] = [];
  // Which order each execution is for (its input names it), read once per execution.
  const orderOf = new Map<string, string>();
  const perOrder = new Map<string, number>();
  const waiting = (): string[] => [...load.orders].filter((id) => !perOrder.has(id));
  await until(
    'every acknowledged order to have run its workflow to the end',
    async () => {
      executions = ((await call('ListExecutions', { stateMachineArn: machine, maxResults: 1000 })) as { executions?: typeof executions } | undefined)?.executions ?? [];
      for (const e of executions) {
        if (orderOf.has(e.executionArn)) continue;
        const described = (await call('DescribeExecution', { executionArn: e.executionArn })) as { input: string } | undefined;
        if (described === undefined) return false;
        const id = (JSON.parse(described.input) as { order: { id: string } }).order.id;
        orderOf.set(e.executionArn, id);
        perOrder.set(id, (perOrder.get(id) ?? 0) + 1);
      }
      return waiting().length === 0 && executions.every((e) => e.status === 'SUCCEEDED');
    },
    90_000,
  ).catch(async (error: unknown) => {
    const stuck: string[] = [];
    for (const e of executions.filter((x) => x.status !== 'SUCCEEDED').slice(0, 5)) {
      // Why it did not finish: its error and cause, and the last events of its history.
      const described = (await call('DescribeExecution', { executionArn: e.executionArn })) as { error?: string; cause?: string } | undefined;
      const history = (await call('GetExecutionHistory', { executionArn: e.executionArn, reverseOrder: true, maxResults: 6 })) as { events?: unknown[] } | undefined;
      stuck.push(`${e.name}: ${e.status} ${described?.error ?? ''} ${described?.cause ?? ''}; last events ${JSON.stringify(history?.events ?? [])}`);
    }
    throw new Error(`${String(error)}; orders without an execution: ${waiting().slice(0, 5).join(', ') || 'none'}; not finished: ${stuck.join(' | ') || 'none'}\nwhat the nodes logged:\n${nodeTroubles(cluster)}`);
  });
  // Each acknowledged order started exactly one execution.
  for (const id of load.orders) assert.equal(perOrder.get(id), 1, `one execution for order ${id}`);
  const duplicates = [...load.acked].filter((at) => (follower.seen.get(at) ?? 0) > 1).length;
  report(`${phase}: ${load.acked.size} of ${load.attempts()} PutEvents acknowledged, all delivered (${duplicates} twice); ${load.orders.size} orders, ${executions.length} executions, all SUCCEEDED; subscriber connections so far: ${follower.connections} (closed: ${follower.closes.join(', ') || 'none'})`);
}

test('kill -9 of a node, then a NATS restart and a PostgreSQL restart: nothing acknowledged is lost, no workflow stalls', { skip, timeout: 240_000 }, async (t) => {
  const report = (line: string): void => t.diagnostic(line);
  assert.ok(cluster && nats && postgres);
  const c = cluster;
  const { apiKeys, accessKeys } = c.credentials();
  const apiKey = apiKeys[0] as string;
  const key = accessKeys[0] as Key;
  const down = new Set<number>();
  const live = (): string[] => c.nodes.filter((_, i) => !down.has(i)).map((n) => n.url);
  const follower = new Follower(live, apiKey);
  await follower.connect(2); // on node 3

  // 1. kill -9 of node 3 (the follower's), under load; it comes back.
  let load = startLoad(live, key, apiKey, 0);
  await new Promise((r) => setTimeout(r, 1500));
  down.add(2);
  await c.nodes[2]?.kill9();
  await new Promise((r) => setTimeout(r, 1500));
  await c.startNode(2);
  down.delete(2);
  await new Promise((r) => setTimeout(r, 1500));
  await load.stop();
  assert.ok(load.acked.size > 50 && load.orders.size > 5, `load ran: ${load.acked.size} updates, ${load.orders.size} orders`);
  await checkNothingLost('kill -9 of node 3', load, follower, live()[0] as string, apiKey, report, c);
  assert.ok(follower.connections >= 2, 'the subscriber of the killed node reconnected to another');

  // 2. The NATS server restarts: down for 3 s.
  load = startLoad(live, key, apiKey, 100_000);
  await new Promise((r) => setTimeout(r, 1000));
  await nats.stop('graceful');
  await new Promise((r) => setTimeout(r, 3000));
  await nats.start();
  await new Promise((r) => setTimeout(r, 2000));
  await load.stop();
  await checkNothingLost('NATS restart', load, follower, live()[0] as string, apiKey, report, c);

  // 3. The PostgreSQL server restarts after an immediate shutdown: down for 3 s.
  load = startLoad(live, key, apiKey, 200_000);
  await new Promise((r) => setTimeout(r, 1000));
  await postgres.stop('crash');
  await new Promise((r) => setTimeout(r, 3000));
  await postgres.start();
  await new Promise((r) => setTimeout(r, 2000));
  await load.stop();
  await checkNothingLost('PostgreSQL restart', load, follower, live()[0] as string, apiKey, report, c);
  follower.stop();
  for (const [i, n] of c.nodes.entries()) assert.equal(n.child.exitCode, null, `node ${i + 1} is still running (no crash):\n${n.output().slice(-2000)}`);
  // Duplicates are allowed under faults (at least once), but every update arrived.
});
