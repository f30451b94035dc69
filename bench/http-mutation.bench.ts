/**
 * bench/http-mutation: GraphQL mutations over HTTP, Switchboard vs mercurius and graphql-yoga
 * serving seed 003's schema in the same run. Two mutations:
 * - `createOrder`: durable (Switchboard: table write + event log append; peers: the same rows in
 *   one SQLite WAL commit),
 * - `notifyOrderUpdated`: no I/O (Switchboard: IAM-signed, NONE data source; peers: echo).
 * Switchboard serves a copy of examples/food-ordering without `OrderHandlerRule`: the order
 * workflow each created order would start is downstream work the peers do not do at all (it is
 * measured by bench/workflows), so leaving it on would compare different work.
 * A third row, `node:http`, is the ceiling: node:http answering a fixed JSON result after parsing
 * the body, no GraphQL, no auth, no storage. It is not a peer (it serves no schema); it shows how
 * far above any Node GraphQL server a goal lies.
 * Each server runs in its own process; autocannon (10 connections) runs here. Rounds alternate
 * between servers and the median of the rounds is reported with p50/p99 and server CPU per request.
 */
import autocannon from 'autocannon';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signedPost } from './lib/sign.ts';
import { freePort, startServer, type ServerProcess } from './lib/process.ts';
import { median, printTable, type Row } from './lib/report.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;

const CREATE = JSON.stringify({
  query: 'mutation Create($input: CreateOrderInput!) { createOrder(input: $input) { id status createdAt } }',
  variables: { input: { products: [{ name: 'Pizza', quantity: 2 }] } },
});
const NOTIFY = JSON.stringify({
  query: 'mutation Notify($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }',
  variables: { input: { id: 'order-1', status: 'PAID', updatedAt: '2026-01-01T00:00:00.000Z' } },
});

interface Target {
  readonly name: string;
  readonly server: ServerProcess;
  readonly url: string;
  readonly headers: { create: Record<string, string>; notify: Record<string, string> };
}

interface Sample {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly cpuPerReqUs: number;
  readonly errors: number;
}

async function load(target: Target, body: string, headers: Record<string, string>): Promise<Sample> {
  const cpu0 = target.server.cpuSeconds();
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  const cpu = target.server.cpuSeconds() - cpu0;
  const total = result.requests.total;
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuPerReqUs: (cpu / Math.max(1, total)) * 1e6,
    errors: result.errors + result.non2xx,
  };
}

/** examples/food-ordering minus the rule that starts the order workflow (see the header). */
function appWithoutWorkflowRule(dir: string): string {
  const app = join(dir, 'food-ordering-api-only');
  cpSync('examples/food-ordering', app, { recursive: true });
  const original = join(process.cwd(), 'examples/food-ordering/switchboard.config.ts');
  writeFileSync(
    join(app, 'switchboard.config.ts'),
    `import app from ${JSON.stringify(original)};\nconst { OrderHandlerRule: _, ...rules } = app.rules as Record<string, unknown>;\nexport default { ...app, rules };\n`,
  );
  return app;
}

async function startSwitchboard(dir: string): Promise<Target> {
  const port = await freePort();
  const dataDir = join(dir, 'switchboard');
  const server = await startServer(
    process.execPath,
    ['bin/switchboard.js', 'start', appWithoutWorkflowRule(dir), '--port', String(port), '--data', dataDir, '--log-level', 'warn'],
    /listening on http/,
  );
  const creds = JSON.parse(readFileSync(join(dataDir, 'credentials.json'), 'utf8')) as {
    apiKeys: string[];
    accessKeys: { accessKeyId: string; secretAccessKey: string }[];
  };
  const url = `http://127.0.0.1:${port}/graphql`;
  const key = creds.accessKeys[0];
  if (key === undefined || creds.apiKeys[0] === undefined) throw new Error('credentials.json has no keys');
  // SigV4 allows replaying a signed request for 15 minutes: sign once, send many.
  const notify = await signedPost('appsync', key, port, '/graphql', { 'content-type': 'application/json' }, NOTIFY);
  return { name: 'switchboard', server, url, headers: { create: { 'x-api-key': creds.apiKeys[0] }, notify } };
}

async function startCeiling(): Promise<Target> {
  const port = await freePort();
  const server = await startServer(process.execPath, ['--import', './bin/typescript-loader.mjs', 'bench/peers/http-ceiling-peer.ts', String(port)], /ready/);
  return { name: 'node:http', server, url: `http://127.0.0.1:${port}/graphql`, headers: { create: {}, notify: {} } };
}

async function startPeer(kind: 'mercurius' | 'yoga', dir: string): Promise<Target> {
  const port = await freePort();
  const server = await startServer(process.execPath, ['--import', './bin/typescript-loader.mjs', 'bench/peers/food-ordering-peer.ts', kind, String(port), join(dir, kind)], /ready/);
  const url = `http://127.0.0.1:${port}/graphql`;
  return { name: kind, server, url, headers: { create: {}, notify: {} } };
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-bench-http-'));
  const targets: Target[] = [];
  try {
    targets.push(await startSwitchboard(dir), await startPeer('mercurius', dir), await startPeer('yoga', dir), await startCeiling());
    const samples = new Map<string, { create: Sample[]; notify: Sample[] }>(targets.map((t) => [t.name, { create: [], notify: [] }]));
    for (const t of targets) {
      // warm-up: JIT, document caches, SQLite pages
      await autocannon({ url: t.url, method: 'POST', body: CREATE, headers: { 'content-type': 'application/json', ...t.headers.create }, connections: CONNECTIONS, duration: 1 });
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const t of targets) {
        const s = samples.get(t.name);
        if (s === undefined) continue;
        s.create.push(await load(t, CREATE, t.headers.create));
        s.notify.push(await load(t, NOTIFY, t.headers.notify));
      }
    }
    const summary = (name: string, which: 'create' | 'notify') => {
      const list = samples.get(name)?.[which] ?? [];
      return {
        rps: median(list.map((s) => s.rps)),
        p50: median(list.map((s) => s.p50)),
        p99: median(list.map((s) => s.p99)),
        cpu: median(list.map((s) => s.cpuPerReqUs)),
        errors: list.reduce((a, s) => a + s.errors, 0),
      };
    };
    for (const which of ['create', 'notify'] as const) {
      const summaries = new Map(targets.map((t) => [t.name, summary(t.name, which)]));
      const get = (name: string) => summaries.get(name) ?? summary(name, which);
      const ours = get('switchboard');
      const rows: Row[] = [];
      for (const peer of ['mercurius', 'yoga', 'node:http']) {
        const p = get(peer);
        const ceiling = peer === 'node:http';
        rows.push(
          { metric: 'mutations/s', ours: ours.rps, peer: p.rps, peerName: ceiling ? 'node:http, no GraphQL (ceiling)' : peer, better: 'higher', goal: ceiling ? '' : '>= 2x the faster peer' },
          { metric: 'p50 ms', ours: ours.p50, peer: p.p50, peerName: peer, better: 'lower' },
          { metric: 'p99 ms', ours: ours.p99, peer: p.p99, peerName: peer, better: 'lower' },
          { metric: 'server CPU µs/request', ours: ours.cpu, peer: p.cpu, peerName: peer, better: 'lower' },
        );
        if (p.errors > 0) console.log(`warning: ${peer} answered ${p.errors} errors/non-2xx during ${which}`);
      }
      if (ours.errors > 0) console.log(`warning: switchboard answered ${ours.errors} errors/non-2xx during ${which}`);
      printTable(`${which === 'create' ? 'createOrder (durable write + event)' : 'notifyOrderUpdated (no I/O, IAM-signed for Switchboard)'} — ${ROUNDS} rounds x ${SECONDS}s, ${CONNECTIONS} connections, medians`, rows);
      const [mercurius, yoga] = [get('mercurius'), get('yoga')];
      const [fasterName, faster] = mercurius.rps >= yoga.rps ? ['mercurius', mercurius] : ['yoga', yoga];
      const ceiling = get('node:http');
      // The server is CPU-bound (autocannon holds the other core): throughput is about 1 / CPU per request.
      console.log(
        `2x the faster peer (${fasterName}) is ${Math.round(2 * faster.rps)}/s, about ${(faster.cpu / 2).toFixed(0)} µs of server CPU per request (${fasterName} spends ${faster.cpu.toFixed(0)}, we spend ${ours.cpu.toFixed(0)}); ` +
          `node:http with no GraphQL at all served ${Math.round(ceiling.rps)}/s (${(ceiling.rps / faster.rps).toFixed(2)}x the faster peer) at ${ceiling.cpu.toFixed(0)} µs per request`,
      );
    }
  } finally {
    await Promise.all(targets.map((t) => t.server.stop()));
    rmSync(dir, { recursive: true, force: true });
  }
}
