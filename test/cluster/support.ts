/**
 * Cluster test support: N real `switchboard start` processes on one PostgreSQL and one NATS, in a
 * cluster name of their own (its PostgreSQL schema and JetStream streams are removed at the end),
 * sharing one data folder (so they share the generated dev credentials: the first node starts
 * alone and writes them, the others read them).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { connectNats, deleteNatsEventLogStreams } from '../../src/storage/cluster.ts';
import { startSwitchboardProcess, type SwitchboardProcess } from '../support/server-process.ts';
import { requireNats, requirePostgres } from '../support/services.ts';

export interface ClusterServices {
  readonly postgresUrl: string;
  readonly natsUrl: string;
  readonly skip: string | false;
}

export async function clusterServices(): Promise<ClusterServices> {
  const [postgres, nats] = await Promise.all([requirePostgres(), requireNats()]);
  return { postgresUrl: postgres.url, natsUrl: nats.url, skip: postgres.skip || nats.skip };
}

export interface TestCluster {
  readonly name: string;
  readonly dataDir: string;
  readonly nodes: SwitchboardProcess[];
  /** Starts (or restarts) node `i` (0-based) in this cluster. */
  startNode(i: number): Promise<SwitchboardProcess>;
  credentials(): { apiKeys: string[]; accessKeys: { accessKeyId: string; secretAccessKey: string }[] };
  close(): Promise<void>;
}

/**
 * `via` (optional): the URLs the nodes connect through (TCP proxies of an outage test); the
 * clean-up always uses `services` directly.
 */
export async function startCluster(services: ClusterServices, app: string, count: number, env: Record<string, string> = {}, via?: { readonly postgresUrl: string; readonly natsUrl: string }): Promise<TestCluster> {
  const name = `sbc_${randomBytes(4).toString('hex')}`;
  const dataDir = mkdtempSync(join(tmpdir(), `${name}-`));
  const nodes: SwitchboardProcess[] = [];
  const connect = via ?? services;
  const args = (i: number): string[] => [app, '--store', connect.postgresUrl, '--nats', connect.natsUrl, '--cluster-name', name, '--node-id', `n${i + 1}`];
  const startNode = async (i: number): Promise<SwitchboardProcess> => {
    const proc = await startSwitchboardProcess(args(i), dataDir, 60_000, 'start', env);
    nodes[i] = proc;
    return proc;
  };
  await startNode(0);
  await Promise.all(Array.from({ length: count - 1 }, (_, k) => startNode(k + 1)));
  return {
    name,
    dataDir,
    nodes,
    startNode,
    credentials: () => (nodes[0] as SwitchboardProcess).credentials(),
    async close() {
      await Promise.all(nodes.map((n) => n.stop().catch(() => undefined)));
      const client = new pg.Client({ connectionString: services.postgresUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS ${name} CASCADE`);
      await client.end();
      const nc = await connectNats({ servers: services.natsUrl, name: 'test-cleanup' });
      await deleteNatsEventLogStreams(nc, name.toUpperCase());
      await nc.drain();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs JSON to a node, SigV4-signed (service `appsync`) with an access key of the cluster. */
export async function signedGraphql(url: string, key: { accessKeyId: string; secretAccessKey: string }, body: unknown): Promise<{ status: number; json: any }> {
  const text = JSON.stringify(body);
  const target = new URL(`${url}/graphql`);
  const signer = new SignatureV4({ credentials: key, region: 'us-east-1', service: 'appsync', sha256: Sha256 });
  const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: target.hostname, port: Number(target.port), path: '/graphql', headers: { host: target.host, 'content-type': 'application/json' }, body: text });
  const res = await fetch(target, { method: 'POST', headers: signed.headers as Record<string, string>, body: text });
  return { status: res.status, json: await res.json() };
}
