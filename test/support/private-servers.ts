/**
 * Private servers that a test may stop and start: a `nats-server -js` and a PostgreSQL cluster
 * (`initdb` + `postgres`), each in a temporary folder on a free loopback port of its own. The
 * machine's shared PostgreSQL and NATS serve every other suite in parallel, so a test that
 * restarts its backbone (test/cluster/chaos.test.ts) restarts these instead; they are the same
 * Debian binaries as the shared ones, with their data on disk, so a restart is a real one: the
 * process ends, its connections drop, and the next process reads back what the last one stored.
 *
 * `findPrivateServerBinaries()` answers the binaries or why they are missing (a loud skip, or a
 * failure when CI=true, as for the shared services). Running as root, PostgreSQL runs as the
 * `postgres` user (it refuses root); the folder is handed to that user.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.ts';
import { inCi } from './services.ts';

export interface PrivateServerBinaries {
  /** Path of `nats-server`. */
  readonly nats: string;
  /** The folder holding `initdb` and `postgres`. */
  readonly postgresBin: string;
}

export interface PrivateServer {
  readonly url: string;
  readonly port: number;
  /** Starts the server (again) on the same port and data, unless it runs; resolves once it answers. */
  start(): Promise<void>;
  /**
   * Stops it: `graceful` is a clean shutdown (SIGTERM for NATS, "fast" shutdown for PostgreSQL);
   * `crash` ends it with no chance to tidy up (SIGKILL for NATS, "immediate" shutdown for
   * PostgreSQL, which then recovers from its WAL on the next start).
   */
  stop(how: 'graceful' | 'crash'): Promise<void>;
  /** The server's own output, for failure messages. */
  output(): string;
  /** Stops it and removes its folder. */
  close(): Promise<void>;
}

function which(name: string, extra: readonly string[]): string | undefined {
  const dirs = [...(process.env['PATH'] ?? '').split(':'), ...extra].filter((d) => d !== '');
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p));
}

function postgresBinDir(): string | undefined {
  const fromEnv = process.env['SB_TEST_PG_BIN'];
  if (fromEnv !== undefined) return existsSync(join(fromEnv, 'initdb')) ? fromEnv : undefined;
  const base = '/usr/lib/postgresql';
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0] !== undefined) return join(base, versions[0], 'bin');
  }
  const initdb = which('initdb', []);
  return initdb === undefined ? undefined : join(initdb, '..');
}

/** The binaries, or the reason to skip (loudly); when CI=true a missing binary throws. */
export function findPrivateServerBinaries(): PrivateServerBinaries | { skip: string } {
  const nats = process.env['SB_TEST_NATS_SERVER'] ?? which('nats-server', ['/usr/sbin', '/usr/local/bin']);
  const postgresBin = postgresBinDir();
  const missing = [nats === undefined ? 'nats-server (Debian package nats-server, or SB_TEST_NATS_SERVER)' : '', postgresBin === undefined ? 'initdb/postgres (Debian package postgresql, or SB_TEST_PG_BIN)' : ''].filter((m) => m !== '');
  if (nats !== undefined && postgresBin !== undefined) return { nats, postgresBin };
  const reason = `restart tests need private servers; not found: ${missing.join(', ')}`;
  if (inCi()) throw new Error(`CI=true requires them: ${reason}`);
  process.stderr.write(`\n*** SKIPPING server restart tests: ${reason} ***\n\n`);
  return { skip: reason };
}

async function until(what: string, check: () => Promise<boolean>, ms: number, output: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`${what} did not come up within ${ms} ms:\n${output().slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process run as one child, whose output is kept and whose end can be awaited. */
class Child {
  private proc: ChildProcess | undefined;
  private ended: Promise<void> = Promise.resolve();
  private log = '';
  constructor(
    private readonly command: string,
    private readonly args: readonly string[],
    private readonly user: { uid: number; gid: number } | undefined,
  ) {}

  run(): void {
    const proc = spawn(this.command, this.args, { stdio: ['ignore', 'pipe', 'pipe'], ...(this.user ?? {}) });
    const keep = (chunk: Buffer): void => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    this.ended = new Promise((resolve) => proc.once('exit', () => resolve()));
    this.proc = proc;
  }

  get running(): boolean {
    return this.proc !== undefined && this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async signal(signal: NodeJS.Signals, ms = 20_000): Promise<void> {
    if (!this.running) return;
    this.proc?.kill(signal);
    const timer = setTimeout(() => this.proc?.kill('SIGKILL'), ms);
    await this.ended;
    clearTimeout(timer);
  }

  output(): string {
    return this.log;
  }
}

interface ServerSpec {
  readonly name: string;
  readonly url: string;
  readonly port: number;
  /** Removed by `close`. */
  readonly dir: string;
  readonly child: Child;
  /** Whether the server answers at `url` now. */
  readonly answers: () => Promise<boolean>;
  readonly upWithinMs: number;
  /** The signals of `stop('graceful')` and `stop('crash')`. */
  readonly graceful: NodeJS.Signals;
  readonly crash: NodeJS.Signals;
}

/** Starts the spec's process and answers it as a `PrivateServer`, once it answers. */
async function startServer(spec: ServerSpec): Promise<PrivateServer> {
  const { child } = spec;
  const server: PrivateServer = {
    url: spec.url,
    port: spec.port,
    async start() {
      if (child.running) return;
      child.run();
      await until(spec.name, async () => child.running && (await spec.answers()), spec.upWithinMs, () => child.output());
    },
    stop: (how) => child.signal(how === 'crash' ? spec.crash : spec.graceful),
    output: () => child.output(),
    async close() {
      await child.signal(spec.graceful);
      rmSync(spec.dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** `nats-server -js` on a free port, its JetStream store in a temporary folder. */
export async function startPrivateNats(binaries: PrivateServerBinaries): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-nats-'));
  const port = await freePort();
  const child = new Child(binaries.nats, ['-js', '-sd', dir, '-a', '127.0.0.1', '-p', String(port)], undefined);
  const answers = (): Promise<boolean> =>
    new Promise((resolve) => {
      const socket = tcpConnect(port, '127.0.0.1');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('INFO'));
      });
      socket.once('error', () => resolve(false));
    });
  return startServer({ name: 'nats-server', url: `nats://127.0.0.1:${port}`, port, dir, child, answers, upWithinMs: 15_000, graceful: 'SIGTERM', crash: 'SIGKILL' });
}

function postgresUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const fields = line?.split(':');
  if (fields === undefined) throw new Error('running as root, PostgreSQL needs the user "postgres", which /etc/passwd does not have');
  return { uid: Number(fields[2]), gid: Number(fields[3]) };
}

/** A PostgreSQL cluster of its own (`initdb` in a temporary folder), on a free port, trust auth. */
export async function startPrivatePostgres(binaries: PrivateServerBinaries): Promise<PrivateServer> {
  const dir = mkdtempSync(join(tmpdir(), 'sb-pg-'));
  const data = join(dir, 'data');
  const user = postgresUser();
  if (user !== undefined) chownSync(dir, user.uid, user.gid);
  const init = spawnSync(join(binaries.postgresBin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--no-locale'], {
    encoding: 'utf8',
    ...(user ?? {}),
  });
  if (init.status !== 0) throw new Error(`initdb failed (${init.status}): ${init.stderr || init.stdout}`);
  const port = await freePort();
  const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'max_connections=200', '-c', 'shared_buffers=32MB'];
  const child = new Child(join(binaries.postgresBin, 'postgres'), ['-D', data, '-p', String(port), ...settings], user);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const answers = async (): Promise<boolean> => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_000 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
  // SIGINT: "fast" shutdown (clients cut, a checkpoint written); SIGQUIT: "immediate" (no
  // checkpoint: the next start replays the WAL, as after a crash).
  return startServer({ name: 'postgres', url, port, dir, child, answers, upWithinMs: 30_000, graceful: 'SIGINT', crash: 'SIGQUIT' });
}
