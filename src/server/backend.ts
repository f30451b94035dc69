/**
 * The storage backend a node runs on, picked once at start (the only place adapters are chosen):
 *
 * - **embedded** (default): one SQLite file under the data folder holds everything; one process.
 * - **cluster** (`--store postgres://... --nats nats://...`): PostgreSQL holds the stores, NATS
 *   JetStream the event log, NATS core carries fan-out between nodes; any number of stateless nodes
 *   share them. Background duties that must run once per cluster follow `leadership` (a PostgreSQL
 *   advisory lock held by one node); delivery jobs are owned by the node that records them and
 *   claimed by others when their lease runs out; table change records go through an outbox that
 *   any node relays to the log.
 *
 * The data folder stays per node in both modes (generated dev credentials, dev JWT keys, VAPID keys
 * when not configured): a cluster should configure its keys so that every node shares them.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Logger, Clock, Timer } from '../core/index.ts';
import type { DeliveryClaimSource } from '../bus/delivery/index.ts';
import type { TaskClaimSource, TimerClaimSource } from '../workflows/index.ts';
import {
  busMigrations,
  createSqliteBusStore,
  createSqliteEventLog,
  createSqlitePushStore,
  createSqliteTableStore,
  eventLogMigrations,
  loadClusterStorage,
  openDatabase,
  openThreadedSqliteWorkflowStore,
  pushMigrations,
  tablesMigrations,
  writeBatcherFor,
  type AppendFeed,
  type BusStore,
  type EventLog,
  type Fanout,
  type Leadership,
  type PushStore,
  type ThreadedWorkflowStore,
  type TableStore,
  type WorkflowStore,
} from '../storage/index.ts';

export interface ClusterOptions {
  /** `postgres://user@host:port/database` */
  readonly storeUrl: string;
  /** `nats://host:port` */
  readonly natsUrl: string;
  /**
   * Names this cluster in the shared services (the PostgreSQL schema, the JetStream and subject
   * prefixes), so several clusters (or test runs) can share one PostgreSQL and one NATS. Letters,
   * digits and `_`; default `switchboard`.
   */
  readonly name?: string;
  /** This node's id; default `<host>-<pid>-<random>`. */
  readonly nodeId?: string;
  /** How long a node owns a delivery job past its due time before others may take it; default 60 s. */
  readonly jobLeaseMs?: number;
}

export interface StorageBackend {
  readonly mode: 'embedded' | 'cluster';
  readonly nodeId: string;
  readonly eventLog: EventLog;
  /** The table store, relaying its change records to `changeLog` (the server's wrapped log). */
  tableStore(changeLog: EventLog): TableStore;
  readonly busStore: BusStore;
  readonly workflowStore: WorkflowStore;
  readonly pushStore: PushStore;
  /** Cross-node fan-out (cluster mode only). */
  readonly fanout?: Fanout;
  /** Cluster mode: who runs the once-per-cluster duties (schedules, replays); embedded: this process, always. */
  readonly leadership?: Leadership;
  /** Cluster mode: delivery jobs whose owner's lease ran out (a dead node), claimed for this node. */
  readonly deliveryClaims?: DeliveryClaimSource;
  /** Cluster mode: each append to a bus stream wakes one node (a JetStream durable consumer per stream). */
  readonly appendFeed?: AppendFeed;
  /** Cluster mode: due workflow timers, each claimed by one node. */
  readonly timerClaims?: TimerClaimSource;
  /** Cluster mode: this node's liveness for the workflow tasks it runs, and dead nodes' tasks. */
  readonly taskClaims?: TaskClaimSource;
  /** Resolves once every write queued so far is durable. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const CLUSTER_NAME = /^[A-Za-z][A-Za-z0-9_]{0,40}$/;
/** A claimed workflow timer is this node's for this long; then another node may fire it (twice is a refused no-op). */
const TIMER_LEASE_MS = 30_000;

export function defaultNodeId(): string {
  return `${hostname().replace(/[^A-Za-z0-9-]/g, '-')}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export function openEmbeddedBackend(options: { readonly dataDir: string; readonly fsync: boolean }): StorageBackend {
  const db = openDatabase({ path: join(options.dataDir, 'switchboard.db'), fsync: options.fsync }, [eventLogMigrations, tablesMigrations, busMigrations, pushMigrations]);
  const batcher = writeBatcherFor(db);
  // Workflows have a file and a writer thread of their own (workflow-writer.ts).
  let workflowStore: ThreadedWorkflowStore;
  try {
    workflowStore = openThreadedSqliteWorkflowStore({ path: join(options.dataDir, 'workflows.db'), fsync: options.fsync, moveFrom: db });
  } catch (error) {
    db.close();
    throw error;
  }
  return {
    mode: 'embedded',
    nodeId: 'embedded',
    eventLog: createSqliteEventLog(db),
    tableStore: () => createSqliteTableStore(db),
    busStore: createSqliteBusStore(db),
    workflowStore,
    pushStore: createSqlitePushStore(db),
    async flush() {
      await batcher.drain();
      await workflowStore.drain();
    },
    async close() {
      await workflowStore.close();
      await batcher.close();
      db.close();
    },
  };
}

export async function openClusterBackend(options: ClusterOptions & { readonly logger: Logger; readonly clock: Clock }): Promise<StorageBackend> {
  const name = options.name ?? 'switchboard';
  if (!CLUSTER_NAME.test(name)) throw new TypeError(`cluster name ${JSON.stringify(name)}: letters, digits and _, starting with a letter`);
  const nodeId = options.nodeId ?? defaultNodeId();
  const jobLeaseMs = options.jobLeaseMs ?? 60_000;
  // Loaded here, not imported: an embedded server never loads the pg and nats packages.
  const { connectNats, createNatsAppendFeed, createNatsEventLog, createNatsFanout, createPostgresBusStore, createPostgresLeadership, createPostgresPushStore, createPostgresTableStore, createPostgresWorkflowStore, openPostgres, relayTableChanges } =
    await loadClusterStorage();
  const pg = await openPostgres({ url: options.storeUrl, schema: name });
  let nc: Awaited<ReturnType<typeof connectNats>>;
  try {
    nc = await connectNats({ servers: options.natsUrl, name: `switchboard-${nodeId}` });
  } catch (error) {
    await pg.close();
    throw error;
  }
  const prefix = name.toUpperCase();
  // One set of log options: the feed may create a bus stream before the log does.
  const logOptions = { prefix };
  const eventLog = await createNatsEventLog(nc, logOptions);
  const appendFeed = await createNatsAppendFeed(nc, { ...logOptions, logger: options.logger });
  const fanout = createNatsFanout(nc, {
    subjectPrefix: `${name}.fanout`,
    onHandlerError: (error, topic) => options.logger.log('error', 'fan-out handler failed', { topic, error }),
  });
  const busStore = createPostgresBusStore(pg, { owner: { node: nodeId, leaseMs: jobLeaseMs } });
  const workflowStore = createPostgresWorkflowStore(pg, { owner: { node: nodeId } });
  const leadership = createPostgresLeadership(pg, { name: 'bus', node: nodeId });
  // Change records a node committed but did not relay (it died in between) go out from here.
  let relayTimer: Timer | undefined;
  let closed = false;
  let changeLog: EventLog = eventLog;
  const relay = (): void => {
    if (closed) return;
    relayTimer = options.clock.setTimer(1000, () => {
      void relayTableChanges(pg, changeLog)
        .catch((error: unknown) => options.logger.log('warn', 'table change relay failed; retried', { error }))
        .finally(relay);
    });
  };
  relay();
  return {
    mode: 'cluster',
    nodeId,
    eventLog,
    tableStore(log) {
      changeLog = log;
      return createPostgresTableStore(pg, { changeLog: log });
    },
    busStore,
    workflowStore,
    pushStore: createPostgresPushStore(pg),
    fanout,
    leadership,
    appendFeed,
    deliveryClaims: {
      claimDue: (now, limit) => busStore.claimDueDeliveries(nodeId, now, jobLeaseMs, limit),
      release: async () => {
        await busStore.releaseDeliveries(nodeId);
      },
    },
    timerClaims: { claimDue: (until, limit) => workflowStore.claimDueTimers(nodeId, until, TIMER_LEASE_MS, limit) },
    taskClaims: {
      renew: (now, until) => workflowStore.renewTaskLease(now, until),
      claimOrphaned: (now, limit) => workflowStore.claimOrphanedTasks(now, limit),
      release: () => workflowStore.releaseTaskLease(),
    },
    flush: () => Promise.resolve(),
    async close() {
      closed = true;
      relayTimer?.cancel();
      await leadership.close();
      await fanout.close();
      await nc.drain().catch(() => undefined);
      await pg.close();
    },
  };
}
