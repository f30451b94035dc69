/**
 * bench/cluster: durable PutEvents throughput of cluster mode (PostgreSQL + NATS JetStream) with 1,
 * 2 and 3 nodes on this machine, beside the embedded mode (one SQLite file) in the same run, and
 * what the backbone costs per event: CPU µs per event of the Switchboard processes, and of the
 * PostgreSQL and NATS servers (read from /proc for every `postgres` and `nats-server` process; they
 * are shared services, so anything else using them in the same seconds counts too).
 *
 * The load: autocannon, 10 entries per PutEvents request (signed once per round), the connections
 * split evenly over the nodes; `examples/food-ordering`, whose rules match none of these events
 * (the bus cursor moves over them, no delivery runs), so the figure is ingest plus dispatch.
 * The peer is embedded mode: ratios are cluster/embedded. On a machine with 2 cores, 3 nodes and
 * the two servers share those cores: more nodes cannot add throughput here, they show the cost.
 *
 * Env: BENCH_ROUNDS (default 3), BENCH_SECONDS (default 5), CLUSTER_CONNECTIONS (default 16),
 * SB_BENCH_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/test), SB_BENCH_NATS_URL
 * (default nats://127.0.0.1:4222). Without PostgreSQL or NATS it says so and measures nothing.
 */
import autocannon from 'autocannon';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { signedPost } from './lib/sign.ts';
import { freePort, procCpuSeconds, startServer, type ServerProcess } from './lib/process.ts';
import { median, printTable } from './lib/report.ts';
import { connectNats, deleteNatsEventLogStreams } from '../src/storage/cluster.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.CLUSTER_CONNECTIONS ?? 16);
const POSTGRES = process.env.SB_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const NATS = process.env.SB_BENCH_NATS_URL ?? 'nats://127.0.0.1:4222';
const ENTRIES = 10;
const APP = 'examples/food-ordering';

type Key = { accessKeyId: string; secretAccessKey: string };

interface Node {
  readonly server: ServerProcess;
  readonly port: number;
}

const BATCH = JSON.stringify({
  Entries: Array.from({ length: ENTRIES }, (_, i) => ({ Source: 'bench.cluster', DetailType: 'reading', Detail: JSON.stringify({ sensor: `s-${i}`, value: 20 + i }) })),
});

function readKey(dataDir: string): Key {
  const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as { accessKeys: Key[] };
  const key = creds.accessKeys[0];
  if (key === undefined) throw new Error('credentials.json has no access key');
  return key;
}

async function sign(key: Key, port: number): Promise<Record<string, string>> {
  return signedPost('events', key, port, '/', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' }, BATCH);
}

/** CPU seconds of every process named `name` (the backbone servers), summed. */
function cpuOf(name: string): number {
  try {
    const pids = execFileSync('pgrep', ['-x', name], { encoding: 'utf8' }).split('\n').filter((p) => p !== '');
    return pids.reduce((sum, pid) => sum + (procCpuSeconds(Number(pid)) || 0), 0);
  } catch {
    return NaN;
  }
}

async function startNodes(count: number, dataDir: string, cluster: string | undefined): Promise<Node[]> {
  const start = async (i: number): Promise<Node> => {
    const port = await freePort();
    const clusterArgs = cluster === undefined ? [] : ['--store', POSTGRES, '--nats', NATS, '--cluster-name', cluster, '--node-id', `n${i + 1}`];
    const server = await startServer(process.execPath, ['bin/switchboard.js', 'start', APP, '--port', String(port), '--data', dataDir, '--log-level', 'warn', ...clusterArgs], /listening on http/);
    return { server, port };
  };
  const first = await start(0);
  return [first, ...(await Promise.all(Array.from({ length: count - 1 }, (_, i) => start(i + 1))))];
}

interface Sample {
  readonly eventsPerSecond: number;
  readonly nodeCpuUs: number;
  readonly postgresCpuUs: number;
  readonly natsCpuUs: number;
  readonly errors: number;
}

async function round(nodes: readonly Node[], key: Key, seconds: number): Promise<Sample> {
  const per = Math.max(1, Math.floor(CONNECTIONS / nodes.length));
  const headers = await Promise.all(nodes.map((n) => sign(key, n.port)));
  const cpu0 = nodes.reduce((s, n) => s + n.server.cpuSeconds(), 0);
  const pg0 = cpuOf('postgres');
  const nats0 = cpuOf('nats-server');
  const results = await Promise.all(nodes.map((n, i) => autocannon({ url: `http://127.0.0.1:${n.port}/`, method: 'POST', body: BATCH, headers: headers[i], connections: per, duration: seconds })));
  const events = results.reduce((s, r) => s + r.requests.total * ENTRIES, 0);
  const us = (cpu: number): number => (cpu / Math.max(1, events)) * 1e6;
  return {
    eventsPerSecond: results.reduce((s, r) => s + r.requests.average * ENTRIES, 0),
    nodeCpuUs: us(nodes.reduce((s, n) => s + n.server.cpuSeconds(), 0) - cpu0),
    postgresCpuUs: us(cpuOf('postgres') - pg0),
    natsCpuUs: us(cpuOf('nats-server') - nats0),
    errors: results.reduce((s, r) => s + r.errors + r.non2xx, 0),
  };
}

async function measure(label: string, count: number, cluster: string | undefined): Promise<Sample & { rounds: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sb-bench-cluster-'));
  const nodes = await startNodes(count, dataDir, cluster);
  try {
    const key = readKey(dataDir);
    await round(nodes, key, 1); // warm-up
    const samples: Sample[] = [];
    for (let r = 0; r < ROUNDS; r++) samples.push(await round(nodes, key, SECONDS));
    const m = (f: (s: Sample) => number): number => median(samples.map(f));
    const errors = samples.reduce((s, x) => s + x.errors, 0);
    if (errors > 0) console.log(`warning: ${label} answered ${errors} errors/non-2xx`);
    return { eventsPerSecond: m((s) => s.eventsPerSecond), nodeCpuUs: m((s) => s.nodeCpuUs), postgresCpuUs: m((s) => s.postgresCpuUs), natsCpuUs: m((s) => s.natsCpuUs), errors, rounds: samples.map((s) => Math.round(s.eventsPerSecond)).join(', ') };
  } finally {
    await Promise.all(nodes.map((n) => n.server.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function reachable(): Promise<string | undefined> {
  try {
    const client = new pg.Client({ connectionString: POSTGRES, connectionTimeoutMillis: 2_000 });
    await client.connect();
    await client.end();
    const nc = await connectNats({ servers: NATS, name: 'bench-probe', timeoutMs: 2_000 });
    await nc.close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function cleanup(cluster: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${cluster} CASCADE`);
  await client.end();
  const nc = await connectNats({ servers: NATS, name: 'bench-cleanup' });
  await deleteNatsEventLogStreams(nc, cluster.toUpperCase());
  await nc.drain();
}

export async function run(): Promise<void> {
  const problem = await reachable();
  if (problem !== undefined) {
    console.log(`bench/cluster: PostgreSQL (${POSTGRES}) or NATS (${NATS}) is not reachable, nothing measured: ${problem}`);
    return;
  }
  const embedded = await measure('embedded', 1, undefined);
  const rows = [];
  for (const count of [1, 2, 3]) {
    const cluster = `sbbench_${randomBytes(3).toString('hex')}`;
    try {
      const c = await measure(`${count} nodes`, count, cluster);
      rows.push({ count, c });
      console.log(`rounds (events/s): ${count} node(s) ${c.rounds}`);
    } finally {
      await cleanup(cluster);
    }
  }
  console.log(`rounds (events/s): embedded ${embedded.rounds}`);
  for (const { count, c } of rows) {
    printTable(`cluster mode, ${count} node(s), vs embedded (one SQLite file) — durable PutEvents, ${ENTRIES} entries/request, ${CONNECTIONS} connections, ${ROUNDS} rounds x ${SECONDS}s, medians`, [
      { metric: 'events/s (all nodes)', ours: c.eventsPerSecond, peer: embedded.eventsPerSecond, peerName: 'embedded', better: 'higher' },
      { metric: 'Switchboard CPU µs/event', ours: c.nodeCpuUs, peer: embedded.nodeCpuUs, peerName: 'embedded', better: 'lower' },
      { metric: 'Switchboard + PostgreSQL + NATS CPU µs/event', ours: c.nodeCpuUs + c.postgresCpuUs + c.natsCpuUs, peer: embedded.nodeCpuUs, peerName: 'embedded', better: 'lower' },
    ]);
    console.log(`backbone per event: PostgreSQL ${c.postgresCpuUs.toFixed(1)} µs, NATS ${c.natsCpuUs.toFixed(1)} µs`);
  }
}
