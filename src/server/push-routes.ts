/**
 * Web Push wired to this process: the SQLite `PushStore`, one sender (keep-alive connections, a
 * key pool) for the process, and per app definition its VAPID keys (generated into the data folder
 * when the config leaves them out), registry and notifier. Routes, as in seed 001:
 *
 *   POST /subscribe        a PushSubscription (+ userId, applicationServerKey, oldEndpoint) → {subscriptionId}
 *   POST /subscribe/order  {orderId, subscriptionId}                                        → {orderId, subscriptionId}
 *   GET  /push/vapid.json  {publicKey}: the key browsers subscribe with
 *   GET  /push/sw.js, /push/client.js   the service worker and page helper (src/push/browser/)
 *   GET  /push/*           the app's page folder (`push.page`)
 *
 * Each accepted write is stored and its bus event ("New subscription", "Subscribe to order",
 * source `switchboard.push`) appended in the same event-loop turn, so they share one commit, and
 * the answer is sent only after it.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SwitchboardError, type Clock, type Logger } from '../core/index.ts';
import type { AppDefinition } from '../app/index.ts';
import { busStream, toEnvelope, validatePutEventsEntry } from '../bus/index.ts';
import type { PushTargetNotifier } from '../bus/delivery/index.ts';
import { createSqlitePushStore, type EventLog, type PushStore, type SqliteDb } from '../storage/index.ts';
import {
  compileEndpointAllowList,
  createHttpTransport,
  createPushNotifier,
  createPushRegistry,
  createPushSender,
  createVapidAuthorizer,
  describeSummary,
  generateVapidKeys,
  importVapidKeys,
  parseOrderLinkRequest,
  parseSubscribeRequest,
  type PushNotifier,
  type PushRegistry,
  type PushTransport,
  type SubscribeContext,
  type VapidAuthorizer,
  type VapidKeyText,
} from '../push/index.ts';
import type { AppServices } from './app-services.ts';
import type { HttpRequest, HttpResponse, Route } from './http-server.ts';
import type { MetricsRegistry } from './metrics.ts';
import { contentTypeOf, serveFromFolder } from './static-files.ts';

export const PUSH_EVENT_SOURCE = 'switchboard.push';
const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' } as const;
const BROWSER_DIR = new URL('../push/browser/', import.meta.url);

export interface PushWiringDeps {
  readonly store: PushStore;
  readonly services: () => AppServices;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: MetricsRegistry;
  readonly dataDir: string;
  /** Replaces the keep-alive HTTP transport (tests). */
  readonly transport?: PushTransport;
}

export interface PushWiring {
  readonly routes: readonly Route[];
  /** The bus's push target kind. */
  readonly notify: PushTargetNotifier;
  /** The subscriptions, read by the console. */
  readonly store: PushStore;
  /** Builds the push side of an app definition now (start, reload), so a bad key fails there and not on a request. */
  prepare(app: AppDefinition): void;
  stop(): void;
}

interface PushApp {
  readonly publicKey: string;
  readonly context: SubscribeContext;
  readonly registry: PushRegistry;
  readonly notifier: PushNotifier;
  readonly bus: string;
  readonly page?: string;
}

const json = (status: number, value: unknown): HttpResponse => ({ status, headers: JSON_TYPE, body: JSON.stringify(value) });
const NOT_CONFIGURED = json(404, { message: 'this app does not declare push (defineApp({ push: { vapid: {...} } }))' });

/** A key pair left out of the config is generated once and kept beside the other credentials. */
function generatedKeys(dataDir: string): VapidKeyText {
  const file = join(dataDir, 'vapid-keys.json');
  if (existsSync(file)) {
    try {
      const keys = JSON.parse(readFileSync(file, 'utf8')) as Partial<VapidKeyText>;
      if (typeof keys.publicKey === 'string' && typeof keys.privateKey === 'string') return { publicKey: keys.publicKey, privateKey: keys.privateKey };
    } catch {
      // Reported below.
    }
    throw new SwitchboardError('SB_CONFIG_LOAD_FAILED', `${file}: not a VAPID key pair {"publicKey", "privateKey"}; delete it only if you accept that existing push subscriptions stop working`);
  }
  const keys = generateVapidKeys();
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(keys, null, 2) + '\n', { mode: 0o600 });
  return keys;
}

export function createPushWiring(deps: PushWiringDeps): PushWiring {
  const { clock, logger } = deps;
  const store = deps.store;
  const http = deps.transport === undefined ? createHttpTransport() : undefined;
  const messages = deps.metrics.counter('switchboard_push_messages_total', 'Web Push messages by outcome: sent, gone, too-large, rejected, failed.');
  const retries = deps.metrics.counter('switchboard_push_retries_total', 'Web Push sends retried after a 429, a 5xx or a network error.');
  const sender = createPushSender({
    transport: deps.transport ?? (http as NonNullable<typeof http>).send,
    clock,
    onOutcome: (o) => messages.inc({ outcome: o.kind }),
    onRetry: () => retries.inc(),
  });
  const builtins = new Map(['sw.js', 'client.js'].map((name) => [name, readFileSync(new URL(name, BROWSER_DIR), 'utf8')]));

  const apps = new WeakMap<AppDefinition, PushApp | null>();
  const pushOf = (app: AppDefinition): PushApp | undefined => {
    let built = apps.get(app);
    if (built === undefined) {
      built = app.push === undefined ? null : build(app);
      apps.set(app, built);
    }
    return built ?? undefined;
  };

  function build(app: AppDefinition): PushApp {
    const push = app.push as NonNullable<AppDefinition['push']>;
    const authorizers = new Map<string, VapidAuthorizer>();
    for (const key of push.keys) {
      const text = key.publicKey !== undefined && key.privateKey !== undefined ? { publicKey: key.publicKey, privateKey: key.privateKey } : generatedKeys(deps.dataDir);
      const pair = importVapidKeys(text);
      authorizers.set(pair.publicKey, createVapidAuthorizer({ keys: pair, subject: key.subject, clock }));
    }
    const registry = createPushRegistry({ store, clock, authorizers });
    const notifications = push.notifications;
    return {
      publicKey: [...authorizers.keys()][0] ?? '',
      context: { allowEndpoint: compileEndpointAllowList(push.allowedEndpoints), vapidKeys: [...authorizers.keys()] },
      registry,
      notifier: createPushNotifier({ registry, sender, notification: (name) => notifications[name], clock, logger }),
      bus: push.bus,
      ...(push.page !== undefined ? { page: push.page } : {}),
    };
  }

  /** The bus event of an accepted write, appended (not awaited here) in the caller's turn. */
  const publish = (app: AppDefinition, bus: string, detailType: string, detail: Readonly<Record<string, unknown>>): Promise<readonly number[]> => {
    const check = validatePutEventsEntry({ Source: PUSH_EVENT_SOURCE, DetailType: detailType, Detail: JSON.stringify(detail) });
    if (!check.ok) return Promise.reject(new Error(`push event refused: ${check.errorMessage}`));
    const id = randomUUID();
    const now = clock.now();
    const envelope = toEnvelope(check.entry, { id, now: new Date(now), account: '000000000000', region: app.region });
    return deps.eventLog.append(busStream(bus), [{ id, time: now, payload: JSON.stringify(envelope) }]);
  };

  const readJson = (req: HttpRequest): { ok: true; value: unknown } | { ok: false } => {
    try {
      return { ok: true, value: JSON.parse(req.body ?? '') as unknown };
    } catch {
      return { ok: false };
    }
  };

  const subscribe = async (req: HttpRequest): Promise<HttpResponse> => {
    const app = deps.services().app;
    const push = pushOf(app);
    if (push === undefined) return NOT_CONFIGURED;
    const body = readJson(req);
    if (!body.ok) return json(400, { message: 'the body must be JSON (PushSubscription.toJSON())' });
    const checked = parseSubscribeRequest(body.value, push.context);
    if (!checked.ok) return json(400, { message: checked.message });
    const r = checked.value;
    const detail = { subscriptionId: r.id, pushService: new URL(r.endpoint).origin, ...(r.userId !== undefined ? { userId: r.userId } : {}), ...(r.replaces !== undefined ? { replaces: r.replaces } : {}) };
    // Both writes queued in this turn: one commit.
    const [outcome] = await Promise.all([push.registry.subscribe(r), publish(app, push.bus, 'New subscription', detail)]);
    return json(outcome === 'created' ? 201 : 200, { subscriptionId: r.id, created: outcome === 'created' });
  };

  const followOrder = async (req: HttpRequest): Promise<HttpResponse> => {
    const app = deps.services().app;
    const push = pushOf(app);
    if (push === undefined) return NOT_CONFIGURED;
    const body = readJson(req);
    if (!body.ok) return json(400, { message: 'the body must be JSON: {"orderId": "...", "subscriptionId": "..."}' });
    const checked = parseOrderLinkRequest(body.value);
    if (!checked.ok) return json(400, { message: checked.message });
    const { orderId, subscriptionId } = checked.value;
    if (!(await push.registry.exists(subscriptionId))) return json(404, { message: `no subscription ${subscriptionId}: POST /subscribe first` });
    // Both writes queued in this turn: one commit.
    const [outcome] = await Promise.all([push.registry.linkOrder(checked.value), publish(app, push.bus, 'Subscribe to order', { orderId, subscriptionId })]);
    if (outcome === 'no-subscription') return json(404, { message: `no subscription ${subscriptionId}: POST /subscribe first` });
    return json(outcome === 'linked' ? 201 : 200, { orderId, subscriptionId });
  };

  const staticFile = (req: HttpRequest): HttpResponse => {
    const push = pushOf(deps.services().app);
    if (push === undefined) return NOT_CONFIGURED;
    const name = decodeURIComponent(req.path.slice('/push/'.length));
    if (name === 'vapid.json') return { status: 200, headers: { ...JSON_TYPE, 'cache-control': 'no-cache' }, body: JSON.stringify({ publicKey: push.publicKey }) };
    const builtin = builtins.get(name);
    if (builtin !== undefined) return { status: 200, headers: { 'content-type': contentTypeOf('client.js'), 'cache-control': 'no-cache' }, body: builtin };
    if (push.page === undefined) return json(404, { message: 'no page folder (push.page)' });
    return serveFromFolder(push.page, req.path.slice('/push/'.length));
  };

  const notify: PushTargetNotifier = async (name, input) => {
    const push = pushOf(deps.services().app);
    if (push === undefined) return { kind: 'missing' };
    const result = await push.notifier.notify(name, input);
    switch (result.kind) {
      case 'done':
        return { kind: 'done', note: describeSummary(result.summary) };
      case 'retry':
      case 'refused':
        return { kind: result.kind, message: describeSummary(result.summary) };
      default:
        return result;
    }
  };

  return {
    routes: [
      // Callable from a frontend on another origin, as the seed's API Gateway routes are.
      { method: 'POST', path: '/subscribe', maxBodyBytes: 16 * 1024, cors: true, handler: subscribe },
      { method: 'POST', path: '/subscribe/order', maxBodyBytes: 4 * 1024, cors: true, handler: followOrder },
      { method: 'GET', path: '/push', handler: () => ({ status: 308, headers: { location: '/push/' }, body: '' }) },
      { method: 'GET', path: '/push/*', handler: staticFile },
    ],
    notify,
    store,
    prepare(app) {
      const push = pushOf(app);
      if (push !== undefined) logger.log('info', 'web push ready', { subscribe: '/subscribe', page: '/push/', vapidPublicKey: push.publicKey });
    },
    stop() {
      sender.close();
      http?.close();
    },
  };
}
