/**
 * The `switchboard` command: `start`, `dev`, `token`, `dlq`, `trace`, `vapid`, `help`, `version`.
 * `main(argv)` returns the exit code; it never calls `process.exit` itself except on signals.
 */
import { join, resolve, relative } from 'node:path';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createLogger, isSwitchboardError, type LogLevel } from '../core/index.ts';
import { loadApp, watchApp, type AppDefinition } from '../app/index.ts';
import { ensureConsoleBuilt, startSwitchboard, type ClusterOptions, type RunningSwitchboard } from '../server/index.ts';
import { parseArgs, optionPort, optionString, UsageError, type CommandSpec, type ParsedArgs } from './args.ts';
import { BUS_CLIENT_OPTIONS, dlqCommand, traceCommand } from './bus-commands.ts';
import { BusCallError } from './bus-client.ts';
import { VAPID_COMMAND, vapidCommand } from './vapid-command.ts';

const DEFAULT_APP = fileURLToPath(new URL('../../examples/food-ordering', import.meta.url));

const SERVE_OPTIONS = {
  port: 'value',
  host: 'value',
  data: 'value',
  region: 'value',
  store: 'value',
  nats: 'value',
  'cluster-name': 'value',
  'node-id': 'value',
  'log-level': 'value',
  fsync: 'flag',
  'no-dev-endpoints': 'flag',
  'event-retention': 'value',
  'execution-retention': 'value',
} as const;
const CLUSTER_USAGE = '[--store postgres://... --nats nats://... [--cluster-name switchboard] [--node-id <id>]]';

const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    summary: 'serve an app (default: the food-ordering demo)',
    usage: 'switchboard start [appDir] [--port 4000] [--host 127.0.0.1] [--data .switchboard] [--region <name>] [--log-level info] [--fsync] [--no-dev-endpoints] [--event-retention 24h] [--execution-retention 90d] ' + CLUSTER_USAGE,
    options: SERVE_OPTIONS,
    maxPositionals: 1,
  },
  {
    name: 'dev',
    summary: 'serve an app and reload it when its files change',
    usage: 'switchboard dev [appDir] [--port 4000] [--host 127.0.0.1] [--data .switchboard] [--region <name>] [--log-level info] [--event-retention 24h] [--execution-retention 90d] ' + CLUSTER_USAGE,
    options: SERVE_OPTIONS,
    maxPositionals: 1,
  },
  {
    name: 'token',
    summary: 'mint a dev JWT (Cognito user-pool style) for a test user',
    usage: 'switchboard token <username> [--groups a,b] [--email x@y] [--data .switchboard]',
    options: { groups: 'value', email: 'value', data: 'value' },
    maxPositionals: 1,
  },
  {
    name: 'dlq',
    summary: "list, show, redrive or delete a running server's event-bus dead letters",
    usage: 'switchboard dlq list|show <id>|redrive <id...>|--all|delete <id...> [--bus default] [--url http://127.0.0.1:4000] [--data .switchboard] [--json]',
    options: BUS_CLIENT_OPTIONS,
    maxPositionals: 1000,
  },
  {
    name: 'trace',
    summary: 'what happened to one event: rules matched or not (and the field that failed), target inputs, attempts',
    usage: 'switchboard trace <eventId> [--bus default] [--url http://127.0.0.1:4000] [--data .switchboard]',
    options: BUS_CLIENT_OPTIONS,
    maxPositionals: 1,
  },
  VAPID_COMMAND,
];

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function help(): string {
  return [
    `switchboard ${version()} — AppSync-compatible GraphQL, event bus, workflows, tables and push in one process`,
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
  ].join('\n');
}

export async function main(argv: readonly string[]): Promise<number> {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, COMMANDS);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`switchboard: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  if (args.command === 'help' || args.options.help === true) {
    process.stdout.write(help());
    return 0;
  }
  if (args.command === 'version') {
    process.stdout.write(version() + '\n');
    return 0;
  }
  try {
    if (args.command === 'token') return await token(args);
    if (args.command === 'dlq') return await dlqCommand(args);
    if (args.command === 'trace') return await traceCommand(args);
    if (args.command === 'vapid') return vapidCommand(args);
    return await serve(args, args.command === 'dev');
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`switchboard: ${error.message}\n`);
      return 2;
    }
    if (error instanceof BusCallError || (error instanceof TypeError && error.message === 'fetch failed')) {
      process.stderr.write(`switchboard: ${error instanceof BusCallError ? error.message : 'cannot reach the server (is it running? --url)'}\n`);
      return 1;
    }
    if (isSwitchboardError(error)) {
      process.stderr.write(`switchboard: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

async function token(args: ParsedArgs): Promise<number> {
  const username = args.positionals[0];
  if (username === undefined) throw new UsageError('token: a username is required\nusage: switchboard token <username> [--groups a,b]');
  const { createDevIssuer } = await import('../auth/index.ts');
  const dataDir = resolve(optionString(args, 'data') ?? '.switchboard');
  const issuer = await createDevIssuer({ keyFile: resolve(dataDir, 'dev-jwt-keys.json') });
  const groups = (optionString(args, 'groups') ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');
  const email = optionString(args, 'email');
  const tokens = await issuer.mint({ username, groups, ...(email === undefined ? {} : { email }) });
  process.stdout.write(JSON.stringify(tokens, null, 2) + '\n');
  return 0;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--event-retention`, `--execution-retention`: a whole number of s, m, h or d (at least a minute), or `forever`; absent: the default. */
function parseRetention(args: ParsedArgs, flag: 'event-retention' | 'execution-retention'): number | undefined {
  const value = optionString(args, flag);
  if (value === undefined) return undefined;
  if (value === 'forever') return Number.POSITIVE_INFINITY;
  const match = /^(\d{1,9})([smhd])$/.exec(value);
  const ms = match === null ? NaN : Number(match[1]) * (DURATION_UNITS[match[2] as string] ?? NaN);
  if (!(ms >= 60_000)) throw new UsageError(`--${flag} expects a duration of at least a minute such as 90m, 24h or 30d, or "forever", got "${value}"`);
  return ms;
}

function parseLevel(value: string | undefined): LogLevel {
  const level = value ?? 'info';
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error') return level;
  throw new UsageError(`--log-level expects one of debug, info, warn, error, got "${level}"`);
}

async function serve(args: ParsedArgs, dev: boolean): Promise<number> {
  const appDir = resolve(args.positionals[0] ?? DEFAULT_APP);
  // `--region <name>`: one of the app's regional deployments (`regions` in its config), which the
  // config file reads from SWITCHBOARD_REGION while it is loaded (and reloaded by `dev`).
  const regionName = optionString(args, 'region');
  if (regionName !== undefined) process.env['SWITCHBOARD_REGION'] = regionName;
  const app = await loadApp(appDir);
  const profile = regionName === undefined ? undefined : app.regions[regionName];
  if (regionName !== undefined && profile === undefined) {
    const names = Object.keys(app.regions);
    throw new UsageError(`--region ${regionName}: ${relative(process.cwd(), app.configFile)} declares ${names.length === 0 ? 'no regions' : `the regions ${names.join(', ')}`}`);
  }
  const port = optionPort(args, 'port', profile?.port ?? 4000);
  const host = optionString(args, 'host') ?? '127.0.0.1';
  const dataDir = resolve(optionString(args, 'data') ?? (regionName === undefined ? '.switchboard' : join('.switchboard', 'regions', regionName)));
  const logger = createLogger({ level: parseLevel(optionString(args, 'log-level')) });
  const cluster = clusterOptions(args);
  const eventRetentionMs = parseRetention(args, 'event-retention');
  const executionRetentionMs = parseRetention(args, 'execution-retention');
  const running = await startSwitchboard({
    app,
    dataDir,
    port,
    host,
    logger,
    fsync: args.options.fsync === true,
    devEndpoints: args.options['no-dev-endpoints'] !== true,
    ...(eventRetentionMs !== undefined ? { eventRetentionMs } : {}),
    ...(executionRetentionMs !== undefined ? { executionRetentionMs } : {}),
    ...(cluster !== undefined ? { cluster } : {}),
  });
  printBanner(running, app, dataDir);
  // Builds console/ now if it changed since the last build, so the first visit does not wait.
  void ensureConsoleBuilt(logger).catch((error: unknown) => logger.log('warn', 'console build failed; /console/ retries on the next visit', { error }));

  let stopWatching: (() => void) | undefined;
  if (dev) {
    // Reload: stop the old server (draining its requests), start the new definition on the same port.
    let chain = Promise.resolve();
    stopWatching = watchApp(appDir, (result) => {
      chain = chain.then(async () => {
        if (result instanceof Error) {
          logger.log('error', 'app reload failed; still serving the previous version', { error: result.message });
          return;
        }
        try {
          await running.reload(result);
          logger.log('info', 'app reloaded', { app: result.name });
        } catch (error) {
          logger.log('error', 'app reload failed; still serving the previous version', { error: error instanceof Error ? error.message : String(error) });
        }
      });
    });
  }

  await new Promise<void>((done) => {
    const shutdown = (signal: string): void => {
      logger.log('info', 'shutting down', { signal });
      stopWatching?.();
      void running.stop().then(done, done);
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  return 0;
}

/**
 * Cluster mode from `--store` and `--nats` (or SB_STORE_URL and SB_NATS_URL): both or neither.
 * `--cluster-name` (SB_CLUSTER_NAME) keeps several clusters apart on the same services.
 */
function clusterOptions(args: ParsedArgs): ClusterOptions | undefined {
  const storeUrl = optionString(args, 'store') ?? process.env['SB_STORE_URL'];
  const natsUrl = optionString(args, 'nats') ?? process.env['SB_NATS_URL'];
  if (storeUrl === undefined && natsUrl === undefined) return undefined;
  if (storeUrl === undefined || natsUrl === undefined) throw new UsageError(`cluster mode needs both --store postgres://... and --nats nats://... (got only ${storeUrl === undefined ? '--nats' : '--store'})`);
  if (!/^postgres(ql)?:\/\//.test(storeUrl)) throw new UsageError(`--store expects a postgres:// URL, got ${JSON.stringify(storeUrl)}`);
  if (!/^(nats|tls):\/\//.test(natsUrl)) throw new UsageError(`--nats expects a nats:// URL, got ${JSON.stringify(natsUrl)}`);
  const name = optionString(args, 'cluster-name') ?? process.env['SB_CLUSTER_NAME'];
  const nodeId = optionString(args, 'node-id') ?? process.env['SB_NODE_ID'];
  return { storeUrl, natsUrl, ...(name !== undefined ? { name } : {}), ...(nodeId !== undefined ? { nodeId } : {}) };
}

/** The pages take the API key from `?apiKey=` (and keep it), so the printed link just works. */
function pageQuery(running: RunningSwitchboard): string {
  const key = running.credentials.apiKeys[0]?.key;
  return key === undefined ? '' : `?apiKey=${encodeURIComponent(key)}`;
}

function printBanner(running: RunningSwitchboard, app: AppDefinition, dataDir: string): void {
  const rel = (p: string): string => relative(process.cwd(), p) || '.';
  const lines = [
    `Switchboard ${version()}: app "${app.name}" (${rel(app.dir)})`,
    `  GraphQL       ${running.url}/graphql`,
    `  Real-time     ${running.url.replace(/^http/, 'ws')}/graphql/realtime`,
    ...(app.site !== undefined ? [`  Pages         ${running.url}/${pageQuery(running)}`] : []),
    `  Health        ${running.url}/healthz    Metrics ${running.url}/metrics`,
    `  Console       ${running.url}/console/${pageQuery(running)}`,
    ...running.credentials.apiKeys.map((k) => `  API key       ${k.key}${k.expires === undefined ? '' : ` (expires ${new Date(k.expires).toISOString()})`}`),
    ...running.credentials.accessKeys.map((k) => `  Access key    ${k.accessKeyId}  secret ${k.secretAccessKey}`),
    `  Credentials   ${rel(resolve(dataDir, 'credentials.json'))}`,
    ...(running.backend.mode === 'cluster' ? [`  Cluster node  ${running.backend.nodeId} (PostgreSQL + NATS)`] : []),
    `  Data          ${rel(dataDir)}`,
    `Switchboard listening on ${running.url}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
