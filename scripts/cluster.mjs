#!/usr/bin/env node
// `npm run cluster`: N Switchboard nodes on this machine, one cluster on PostgreSQL + NATS, for
// trying cluster mode. Node 1 starts first (it generates the dev credentials in the shared data
// folder), then the others; Ctrl-C stops them all. Each node's log lines are prefixed [nK].
//
//   npm run cluster -- [appDir] [--nodes 3] [--port 4000] [--store postgres://...] [--nats nats://...]
//                      [--cluster-name switchboard] [--data .switchboard/cluster]
//
// --store / --nats default to SB_STORE_URL / SB_NATS_URL, else a local PostgreSQL (database
// `postgres`, user `postgres`) and NATS with JetStream on their default ports.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  if (i === -1) return fallback;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
};
const nodes = Number(option('nodes', '3'));
const firstPort = Number(option('port', '4000'));
const store = option('store', process.env.SB_STORE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const nats = option('nats', process.env.SB_NATS_URL ?? 'nats://127.0.0.1:4222');
const name = option('cluster-name', process.env.SB_CLUSTER_NAME ?? 'switchboard');
const data = option('data', '.switchboard/cluster');
const app = args.find((a) => !a.startsWith('--'));
if (!Number.isInteger(nodes) || nodes < 1 || nodes > 16) {
  console.error('--nodes expects 1 to 16');
  process.exit(2);
}

const children = [];
function startNode(k) {
  const port = firstPort + k - 1;
  const child = spawn(
    process.execPath,
    ['bin/switchboard.js', 'start', ...(app ? [app] : []), '--port', String(port), '--data', data, '--store', store, '--nats', nats, '--cluster-name', name, '--node-id', `n${k}`],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(child);
  return new Promise((resolve, reject) => {
    let started = false;
    const relay = (stream, out) => {
      let rest = '';
      stream.on('data', (chunk) => {
        const lines = (rest + chunk.toString()).split('\n');
        rest = lines.pop() ?? '';
        for (const line of lines) {
          out.write(`[n${k}] ${line}\n`);
          if (!started && line.startsWith('Switchboard listening on')) {
            started = true;
            resolve(`http://127.0.0.1:${port}`);
          }
        }
      });
    };
    relay(child.stdout, process.stdout);
    relay(child.stderr, process.stderr);
    child.on('exit', (code) => {
      if (!started) reject(new Error(`node n${k} exited with ${code} before listening`));
    });
  });
}

function stopAll() {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
}
process.on('SIGINT', stopAll);
process.on('SIGTERM', stopAll);

try {
  const urls = [await startNode(1)];
  urls.push(...(await Promise.all(Array.from({ length: nodes - 1 }, (_, i) => startNode(i + 2)))));
  process.stdout.write(`\ncluster "${name}" on ${store.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')} + ${nats}: ${urls.length} nodes\n${urls.map((u, i) => `  n${i + 1}  ${u}`).join('\n')}\nany node serves any request; credentials in ${data}/credentials.json; Ctrl-C stops all\n\n`);
} catch (error) {
  console.error(String(error.message ?? error));
  stopAll();
  process.exitCode = 1;
}
