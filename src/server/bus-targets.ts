/**
 * The event bus's target invokers, wired to this process: AppSync operations run against the app's
 * GraphQL service as an IAM principal, Lambda targets call the app's `functions/<name>.ts`,
 * subscription targets publish through the realtime service, bus targets append locally or go
 * over a declared link, API destinations call the HTTP endpoints the app declares. Everything is
 * read from the app currently served, so a `switchboard dev` reload takes effect at once.
 */
import type { Clock } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import type { RealtimeService } from '../realtime/index.ts';
import type { BusStore, EventLog } from '../storage/index.ts';
import {
  createAppSyncTarget,
  createBusTarget,
  createFunctionTarget,
  createHttpLink,
  createHttpTarget,
  createPublishTarget,
  EVENTBRIDGE_TARGET_AUTH,
  routeTarget,
  type ApiDestination,
  type BusLink,
  createWorkflowTarget,
  createPushTarget,
  type PushTargetNotifier,
  type TargetInvoker,
  type WorkflowStarter,
} from '../bus/delivery/index.ts';
import type { AppServices } from './app-services.ts';
import { invokeHandler, type FunctionLoader } from './app-functions.ts';
import type { ExecutionEffects } from './execution-effects.ts';

export interface BusTargetWiring {
  readonly services: () => AppServices;
  readonly realtime: RealtimeService;
  readonly eventLog: EventLog;
  readonly store: BusStore;
  readonly clock: Clock;
  readonly afterExecution: ExecutionEffects;
  readonly functions: FunctionLoader;
  /** Starts a state machine (workflow targets); absent: they dead-letter with NO_RESOURCE. */
  readonly startWorkflow?: WorkflowStarter;
  /** Sends Web Push notifications (push targets); absent: they dead-letter with NO_RESOURCE. */
  readonly notifyPush?: PushTargetNotifier;
}

/** Per app definition, so a reload starts afresh. */
function perApp<T>(build: (app: AppDefinition) => T): (app: AppDefinition) => T {
  const cache = new WeakMap<AppDefinition, T>();
  return (app) => {
    let value = cache.get(app);
    if (value === undefined) {
      value = build(app);
      cache.set(app, value);
    }
    return value;
  };
}

function apiDestinations(app: AppDefinition): Map<string, ApiDestination> {
  const out = new Map<string, ApiDestination>();
  for (const [name, d] of Object.entries(app.apiDestinations)) {
    const c = app.connections[d.connection];
    const auth: Record<string, string> =
      c?.authorizationType === 'API_KEY' && c.apiKey !== undefined
        ? { [c.apiKey.name]: c.apiKey.value }
        : c?.authorizationType === 'BASIC' && c.basic !== undefined
          ? { authorization: `Basic ${Buffer.from(`${c.basic.username}:${c.basic.password}`).toString('base64')}` }
          : {};
    out.set(name, {
      name,
      endpoint: d.endpoint,
      httpMethod: d.httpMethod ?? 'POST',
      ...(d.rateLimitPerSecond !== undefined ? { rateLimitPerSecond: d.rateLimitPerSecond } : {}),
      headers: { ...c?.headers, ...auth },
      query: { ...c?.queryString },
    });
  }
  return out;
}

export function createBusTargets(w: BusTargetWiring): TargetInvoker {
  const loadHandler = w.functions;
  const links = perApp((app) => new Map<string, BusLink>(Object.entries(app.links).map(([region, l]) => [region, createHttpLink({ region, ...l }, w.clock)])));
  const destinations = perApp(apiDestinations);

  return routeTarget({
    appsync: createAppSyncTarget(async (query, variables) => {
      const outcome = await w.services().graphql.execute({ query, variables }, { auth: EVENTBRIDGE_TARGET_AUTH, headers: {}, domainName: null });
      // The publish is awaited: a failed one fails the delivery, which is retried.
      await w.afterExecution.awaited(outcome);
      return outcome.body;
    }),
    function: createFunctionTarget(async (name, event) => {
      const handler = await loadHandler(w.services().app, name);
      if (handler === undefined) return 'missing';
      await invokeHandler(handler, name, event);
      return 'ok';
    }),
    publish: createPublishTarget(async (field, payload) => {
      if (w.services().graphql.schema.getSubscriptionType()?.getFields()[field] === undefined) return 'missing';
      await w.realtime.publish(field, payload);
      return 'ok';
    }),
    bus: createBusTarget({
      eventLog: w.eventLog,
      busExists: async (name) => (await w.store.getBus(name)) !== undefined,
      region: () => w.services().app.region,
      linkFor: (region) => links(w.services().app).get(region),
    }),
    'api-destination': createHttpTarget({ destinationFor: (name) => destinations(w.services().app).get(name), clock: w.clock }),
    ...(w.startWorkflow !== undefined ? { workflow: createWorkflowTarget(w.startWorkflow) } : {}),
    ...(w.notifyPush !== undefined ? { push: createPushTarget(w.notifyPush) } : {}),
  });
}
