/**
 * External services the cluster tests need (PostgreSQL now; NATS next), found by env var with a
 * local default. `requireX()` probes the service once per process and answers its URL and
 * whether to skip: unreachable is a loud skip with the reason, except in CI (`CI=true`), where
 * the cluster suites must run and unreachable is a failure.
 *
 * Adding a service: write a `probe` (resolve when reachable, reject with why not) and a
 * `requireX = () => requireService({ name, envVar, defaultUrl, probe })`.
 */
import pg from 'pg';

export interface ServiceRequirement {
  readonly url: string;
  /** The reason to skip, or false when the service is reachable. */
  readonly skip: string | false;
}

export interface ServiceSpec {
  /** Shown in messages: `PostgreSQL`. */
  readonly name: string;
  readonly envVar: string;
  readonly defaultUrl: string;
  /** Resolves when the service answers at `url`; rejects with the reason otherwise. */
  readonly probe: (url: string) => Promise<void>;
  readonly timeoutMs?: number;
}

const probed = new Map<string, Promise<ServiceRequirement>>();

export const inCi = (): boolean => process.env['CI'] === 'true';

export function requireService(spec: ServiceSpec): Promise<ServiceRequirement> {
  const url = process.env[spec.envVar] ?? spec.defaultUrl;
  const key = `${spec.name} ${url}`;
  let found = probed.get(key);
  if (found === undefined) {
    found = check(spec, url);
    probed.set(key, found);
  }
  return found;
}

async function check(spec: ServiceSpec, url: string): Promise<ServiceRequirement> {
  const timeoutMs = spec.timeoutMs ?? 3_000;
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      spec.probe(url),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { url, skip: false };
  } catch (error) {
    const reason = `${spec.name} is not reachable at ${redact(url)} (${spec.envVar}): ${error instanceof Error ? error.message : String(error)}`;
    if (inCi()) throw new Error(`CI=true requires ${spec.name}: ${reason}`);
    process.stderr.write(`\n*** SKIPPING ${spec.name} contract suite: ${reason} ***\n\n`);
    return { url, skip: reason };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

const redact = (url: string): string => url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');

async function probePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_500 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** PostgreSQL for the cluster store tests: `SB_TEST_POSTGRES_URL`, default the local test database. */
export function requirePostgres(): Promise<ServiceRequirement> {
  return requireService({ name: 'PostgreSQL', envVar: 'SB_TEST_POSTGRES_URL', defaultUrl: 'postgres://postgres@127.0.0.1:5432/test', probe: probePostgres });
}

async function probeNats(url: string): Promise<void> {
  const { connect } = await import('nats');
  const nc = await connect({ servers: url, timeout: 2_500, reconnect: false });
  try {
    // JetStream must be enabled, not only the core server.
    await (await nc.jetstreamManager()).getAccountInfo();
  } finally {
    await nc.close().catch(() => undefined);
  }
}

/** NATS with JetStream for the cluster event log and fan-out tests: `SB_TEST_NATS_URL`, default the local server. */
export function requireNats(): Promise<ServiceRequirement> {
  return requireService({ name: 'NATS', envVar: 'SB_TEST_NATS_URL', defaultUrl: 'nats://127.0.0.1:4222', probe: probeNats });
}
