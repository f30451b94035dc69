/**
 * The composition root: loads nothing by itself, takes a loaded `AppDefinition`, opens storage,
 * builds every domain and the HTTP server, and returns a handle that stops it all in order.
 * This is the only place that picks storage adapters.
 */
import { systemClock, type Clock, type Logger } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import { openClusterBackend, openEmbeddedBackend, type ClusterOptions, type StorageBackend } from './backend.ts';
import type { ActiveCredentials } from './dev-credentials.ts';
import { buildAppServices, type AppServices } from './app-services.ts';
import { createHttpServer, listen, type RunningHttpServer } from './http-server.ts';
import { MetricsRegistry } from './metrics.ts';
import { buildRoutes, tooLargeResponse } from './routes.ts';
import { countingEventLog } from './counting-event-log.ts';
import { createRetention, type Retention } from './retention.ts';
import { createRealtimeService, type RealtimeService } from '../realtime/index.ts';
import { createWebSocketHandler } from './websocket.ts';
import { createExecutionEffects } from './execution-effects.ts';
import { adminRoutes } from './admin-routes.ts';
import { busRoutes } from './bus-routes.ts';
import { syncConfigRules } from './config-rules.ts';
import { createBusApi } from '../bus/index.ts';
import { createDeliveryService, createReplayRunner, createScheduleService, onRuleChange, wakeOnAppend, type DeliveryService, type ReplayRunner, type ScheduleService } from '../bus/delivery/index.ts';
import { createBusTargets } from './bus-targets.ts';
import { createFunctionLoader } from './app-functions.ts';
import { createWorkflows } from './workflows.ts';
import { createPushWiring } from './push-routes.ts';
import { consoleRoutes } from './console/index.ts';
import { siteRoutes } from './site-routes.ts';

export interface SwitchboardOptions {
  readonly app: AppDefinition;
  readonly dataDir: string;
  readonly port: number;
  readonly host: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Largest accepted request body; default 5 MiB. */
  readonly maxBodyBytes?: number;
  /** Serve `/auth/dev-token` (mint JWTs for test users); default true. */
  readonly devEndpoints?: boolean;
  readonly fsync?: boolean;
  /** AppSync `ka` interval; default 60 s. */
  readonly keepAliveMs?: number;
  /** Messages kept per subscription topic for resume; default 10,000. */
  readonly realtimeRetention?: number;
  /**
   * How long bus events (and their attempt records) are kept once delivered and outside every
   * archive (`src/bus/retention/`); default 24 h; `Infinity`: forever.
   */
  readonly eventRetentionMs?: number;
  /** How long ended workflow executions are kept with their history; default 90 days; `Infinity`: forever. */
  readonly executionRetentionMs?: number;
  /** Unsent bytes per WebSocket before it is closed as a slow consumer; default 8 MiB. */
  readonly maxBufferedBytes?: number;
  /** Cluster mode: PostgreSQL + NATS instead of the embedded SQLite file (`backend.ts`). */
  readonly cluster?: ClusterOptions;
}

export interface RunningSwitchboard {
  readonly url: string;
  readonly port: number;
  readonly realtime: RealtimeService;
  /** The active credentials of the app currently served. */
  readonly credentials: ActiveCredentials;
  readonly app: AppDefinition;
  readonly http: RunningHttpServer;
  readonly metrics: MetricsRegistry;
  /** `embedded`, or `cluster` with this node's id. */
  readonly backend: { readonly mode: 'embedded' | 'cluster'; readonly nodeId: string };
  /**
   * Serves a new definition of the app without closing the server: requests already running
   * finish on the old one, new requests get the new one. Rejects (and keeps the old app) when the
   * new one cannot be built.
   */
  reload(app: AppDefinition): Promise<void>;
  stop(): Promise<void>;
}

export async function startSwitchboard(options: SwitchboardOptions): Promise<RunningSwitchboard> {
  const { logger } = options;
  const clock = options.clock ?? systemClock;
  const metrics = new MetricsRegistry();
  const backend: StorageBackend = options.cluster !== undefined ? await openClusterBackend({ ...options.cluster, logger, clock }) : openEmbeddedBackend({ dataDir: options.dataDir, fsync: options.fsync ?? false });
  // Every bus append (PutEvents, EVENT_BUS data sources) goes through this log and wakes delivery.
  let delivery: DeliveryService | undefined;
  const eventLog = wakeOnAppend(countingEventLog(backend.eventLog, metrics), (bus) => delivery?.poke(bus), (bus, records, offsets) => delivery?.dispatchAppended(bus, records, offsets) ?? false);
  // Rule changes (API or config) re-arm the schedule timer at once.
  let schedules: ScheduleService | undefined;
  let replays: ReplayRunner | undefined;
  let retention: Retention | undefined;
  const busStore = onRuleChange(backend.busStore, () => void schedules?.refresh());
  const deps = { dataDir: options.dataDir, eventLog, tableStore: backend.tableStore(eventLog), clock, logger, onBusAppend: (bus: string) => delivery?.poke(bus) };
  let services: AppServices;
  try {
    services = await buildAppServices(options.app, deps);
  } catch (error) {
    await backend.close();
    throw error;
  }
  const realtime = createRealtimeService({
    graphql: () => services.graphql,
    logger,
    eventLog: deps.eventLog,
    clock,
    filterLimits: () => services.app.subscriptions.filterLimits,
    ...(options.realtimeRetention !== undefined ? { retention: options.realtimeRetention } : {}),
    ...(backend.fanout !== undefined ? { crossNode: { fanout: backend.fanout, nodeId: backend.nodeId } } : {}),
  });
  // The workflow tasks `arn:switchboard:states:::realtime:publish|invalidate`.
  const publishOrInvalidate = async (action: 'publish' | 'invalidate', field: string, payload: unknown): Promise<number | 'missing'> => {
    if (services.graphql.schema.getSubscriptionType()?.getFields()[field] === undefined) return 'missing';
    return action === 'publish' ? realtime.publish(field, payload) : realtime.invalidate(field, payload);
  };
  const configRulesApi = createBusApi({ store: busStore, eventLog, clock });
  const kickReplays = (): void => void replays?.kick();
  const functions = createFunctionLoader();
  const workflows = createWorkflows({ store: backend.workflowStore, ...(backend.timerClaims !== undefined ? { timerClaims: backend.timerClaims } : {}), ...(backend.taskClaims !== undefined ? { taskClaims: backend.taskClaims } : {}), app: () => services.app, tables: () => services.tables, clock, logger, busApi: configRulesApi, functions, realtime: publishOrInvalidate });
  const push = createPushWiring({ store: backend.pushStore, services: () => services, eventLog, clock, logger, metrics, dataDir: options.dataDir });
  try {
    push.prepare(options.app);
    await workflows.syncConfig(options.app);
    await syncConfigRules(options.app, configRulesApi);
  } catch (error) {
    await realtime.stop();
    await backend.close();
    throw error;
  }
  const afterExecution = createExecutionEffects({ realtime, metrics, logger });
  const websockets = createWebSocketHandler({ services: () => services, realtime, afterExecution, clock, logger, metrics, ...(options.keepAliveMs !== undefined ? { keepAliveMs: options.keepAliveMs } : {}), ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}) });
  const routes = [...buildRoutes({ services: () => services, afterExecution, metrics, clock, devEndpoints: options.devEndpoints ?? true }), ...adminRoutes({ services: () => services, realtime }), ...busRoutes({ services: () => services, store: busStore, eventLog: deps.eventLog, clock, logger, schedule: (jobs) => delivery?.schedule(jobs), kickReplays, workflows: workflows.api }), ...push.routes, ...consoleRoutes({ services: () => services, store: busStore, eventLog: deps.eventLog, clock, logger, schedule: (jobs) => delivery?.schedule(jobs), workflows: workflows.api, websockets, push }), ...siteRoutes({ services: () => services })];
  delivery = createDeliveryService({
    store: busStore,
    eventLog,
    ...(backend.deliveryClaims !== undefined ? { claims: backend.deliveryClaims } : {}),
    ...(backend.appendFeed !== undefined ? { feed: backend.appendFeed } : {}),
    clock,
    logger,
    invoke: createBusTargets({ services: () => services, realtime, eventLog, store: busStore, clock, afterExecution, functions, startWorkflow: workflows.startForTarget, notifyPush: push.notify }),
  });
  // Filled in by the realtime issue; exported now so dashboards can be built against the names.
  metrics.gauge('switchboard_subscriptions', 'Active GraphQL subscriptions.', () => realtime.size);
  const server = createHttpServer({ routes, logger, metrics, maxBodyBytes: options.maxBodyBytes ?? 5 * 1024 * 1024, tooLarge: tooLargeResponse, upgrade: websockets.upgrade });
  let http: RunningHttpServer;
  try {
    http = await listen(server, options.port, options.host);
  } catch (error) {
    await backend.close();
    throw error;
  }
  metrics.gauge('switchboard_http_connections', 'Open HTTP connections.', () => http.connections());
  schedules = createScheduleService({ store: busStore, eventLog, clock, logger, ...(backend.leadership !== undefined ? { leadership: backend.leadership } : {}), scope: () => ({ accountId: '000000000000', region: services.app.region }) });
  try {
    await delivery.start();
    await schedules.start();
    await workflows.engine.start();
    replays = createReplayRunner({ store: busStore, eventLog, clock, logger, ...(backend.leadership !== undefined ? { leadership: backend.leadership } : {}), onJobs: (jobs) => delivery?.schedule(jobs) });
    kickReplays();
    retention = createRetention({
      busStore,
      eventLog,
      workflowStore: backend.workflowStore,
      clock,
      logger,
      ...(options.eventRetentionMs !== undefined ? { eventRetentionMs: options.eventRetentionMs } : {}),
      ...(options.executionRetentionMs !== undefined ? { executionRetentionMs: options.executionRetentionMs } : {}),
      ...(backend.leadership !== undefined ? { leadership: backend.leadership } : {}),
    });
    retention.start();
  } catch (error) {
    await http.close();
    await backend.close();
    throw error;
  }
  const url = `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${http.port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    port: http.port,
    get credentials() {
      return services.credentials;
    },
    get app() {
      return services.app;
    },
    http,
    metrics,
    realtime,
    backend: { mode: backend.mode, nodeId: backend.nodeId },
    async reload(app) {
      const next = await buildAppServices(app, deps);
      push.prepare(app);
      await workflows.syncConfig(app);
      await syncConfigRules(app, configRulesApi);
      services = next;
    },
    stop() {
      stopped ??= (async () => {
        websockets.close();
        await http.close();
        await schedules?.stop();
        await replays?.stop();
        await retention?.stop();
        await workflows.engine.stop();
        // Push messages waiting for a retry end now (their delivery jobs stay pending for the next start).
        push.stop();
        await delivery?.stop();
        // In-flight work first: publishes accepted before the stop, then every queued write.
        await realtime.drain();
        await realtime.stop();
        await backend.close();
      })();
      return stopped;
    },
  };
}
