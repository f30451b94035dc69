/**
 * The AppSync real-time protocol (subprotocol `graphql-ws`, research/appsync.md §2) as a state
 * machine over text frames: no sockets or timers inside; the transport feeds `receive(text)` and
 * `closed()`, and gets frames through `send` and the end through `close`. Time comes from `Clock`.
 *
 * Rules (each has a test named after it):
 * - frames before `connection_init` are ignored; `connection_init` → `connection_ack` with
 *   `connectionTimeoutMs`, then an immediate `ka` and one every `keepAliveMs`;
 * - a connection whose upgrade carried no valid credentials answers `connection_init` with
 *   `connection_error` (errorCode 401) and closes;
 * - `start` carries `payload.data` as a JSON string; its own `extensions.authorization` (if any)
 *   authenticates it, else the connection's credentials do; `start_ack` is sent only once the
 *   subscription is registered (so every later mutation reaches it);
 * - a reused id → `error` `DuplicatedOperationError`; more than `maxSubscriptions` →
 *   `MaxSubscriptionsReachedError`; a non-subscription operation → `UnsupportedOperation`;
 * - `stop` → `complete`; invalidation → `complete` with "Subscription complete." then close 1000;
 * - Switchboard's resume extension: every `data` frame carries the message's topic `offset`; a
 *   `start` with `extensions.resumeFrom: <offset>` first receives what it missed, in order, or
 *   `resync_required` when that is older than the retention (docs/protocols/appsync-realtime.md);
 * - a JWT connection ends at the token's `exp` ("Token has expired."), unless the client sends
 *   `refresh {payload: {authorization}}` with a new token of the same principal first
 *   (`refresh_ack`); subscriptions stay up across a refresh.
 */
import type { Clock, Timer } from '../core/index.ts';
import type { AuthContext } from '../auth/index.ts';
import type { GraphqlRequest, WireError } from '../graphql/index.ts';
import type { RealtimeService } from './service.ts';
import { createCredentialLifetime } from './auth-expiry.ts';
import { memoizedTail } from './frame-tail.ts';

/** A `data` frame after its id (`frame-tail.ts`). */
const dataTail = memoizedTail((json, offset) => `,"offset":${offset},"payload":${json}}`);

export interface AppSyncConnectionOptions {
  readonly realtime: RealtimeService;
  readonly clock: Clock;
  /** Credentials of the upgrade request (header query parameter, subprotocol or HTTP headers). */
  readonly connectionAuth: AuthContext | { readonly error: string };
  /** Authenticates a header object as connection credentials (the in-band `refresh`). */
  authenticateConnection(header: Readonly<Record<string, string>>): Promise<{ ok: true; auth: AuthContext } | { ok: false; message: string }>;
  /** Authenticates a `start` that carries its own `extensions.authorization` header object. */
  authenticateStart(header: Readonly<Record<string, string>>, data: string): Promise<{ ok: true; auth: AuthContext } | { ok: false; message: string }>;
  send(frame: string): void;
  /** `undefined` while the transport takes more frames, else a promise settled once it has (a resume's replay waits for it). */
  drained?(): Promise<void> | undefined;
  close(code: number, reason: string): void;
  readonly headers: Readonly<Record<string, string>>;
  readonly keepAliveMs?: number;
  readonly connectionTimeoutMs?: number;
  readonly maxSubscriptions?: number;
  /** Close a connection that sends no `connection_init` within this time (AppSync does, after 5 min). */
  readonly initTimeoutMs?: number;
  /** AppSync closes every connection after 24 h; clients reconnect (and may resume). */
  readonly maxLifetimeMs?: number;
}

export interface ProtocolConnection {
  receive(text: string): void;
  closed(): void;
  /** Active subscriptions on this connection. */
  readonly size: number;
  /** A read-only snapshot for introspection (the console); built on demand, never on the hot path. */
  describe(): ConnectionDescription;
}

export interface ConnectionDescription {
  /** The connection's auth mode once authenticated (`API_KEY`, `AWS_IAM`...), else null. */
  readonly authMode: string | null;
  /** The subscription field of each active subscription (started ones, not pending). */
  readonly subscriptions: readonly { readonly id: string; readonly field: string }[];
}

const frame = (value: unknown): string => JSON.stringify(value);

function errorFrame(id: string | undefined, errors: readonly WireError[]): string {
  return frame({ type: 'error', ...(id !== undefined ? { id } : {}), payload: { errors: errors.map((e) => ({ errorType: e.errorType ?? null, message: e.message })) } });
}

export function createAppSyncConnection(options: AppSyncConnectionOptions): ProtocolConnection {
  const keepAliveMs = options.keepAliveMs ?? 60_000;
  const connectionTimeoutMs = options.connectionTimeoutMs ?? 300_000;
  const maxSubscriptions = options.maxSubscriptions ?? 100;
  let state: 'new' | 'ready' | 'closed' = 'new';
  let kaTimer: Timer | undefined;
  const lifetimeTimer = options.clock.setTimer(options.maxLifetimeMs ?? 24 * 60 * 60 * 1000, () => shutdown(1000, 'connection lifetime reached'));
  let connectionAuth = options.connectionAuth;
  const subs = new Map<string, { stop(): void; readonly field: string } | 'pending'>();
  // Dropped once acknowledged: a cancelled timer held for the socket's life is ~300 bytes.
  let initTimer: Timer | undefined = options.clock.setTimer(options.initTimeoutMs ?? connectionTimeoutMs, () => {
    if (state === 'new') shutdown(1000, 'connection_init timeout');
  });

  function keepAlive(): void {
    if (state !== 'ready') return;
    options.send('{"type":"ka"}');
    kaTimer = options.clock.setTimer(keepAliveMs, keepAlive);
  }

  function shutdown(code: number, reason: string): void {
    if (state === 'closed') return;
    state = 'closed';
    cleanup();
    options.close(code, reason);
  }

  // At the token's expiry the connection ends, unless the client refreshed it in band.
  const credentials = createCredentialLifetime(options.clock, () => {
    if (state !== 'ready') return;
    options.send(errorFrame(undefined, [{ errorType: 'UnauthorizedException', message: 'Token has expired.' }]));
    shutdown(1000, 'token expired');
  });

  async function refresh(payload: { authorization?: unknown } | undefined): Promise<void> {
    const header = payload?.authorization;
    const current = connectionAuth;
    if (header === null || typeof header !== 'object' || 'error' in current) {
      options.send(frame({ type: 'refresh_error', payload: { errors: [{ errorType: 'BadRequestException', message: 'refresh needs payload.authorization (a header object) on an authenticated connection' }] } }));
      return;
    }
    const outcome = await credentials.refresh(current, header as Record<string, string>, options.authenticateConnection);
    if (state !== 'ready') return;
    if (!outcome.ok) {
      options.send(frame({ type: 'refresh_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: outcome.message }] } }));
      return;
    }
    connectionAuth = outcome.auth;
    options.send(frame({ type: 'refresh_ack', payload: outcome.expiresAt === undefined ? {} : { expiresAt: outcome.expiresAt } }));
  }

  function cleanup(): void {
    initTimer?.cancel();
    initTimer = undefined;
    kaTimer?.cancel();
    credentials.cancel();
    lifetimeTimer.cancel();
    for (const s of subs.values()) if (s !== 'pending') s.stop();
    subs.clear();
  }

  async function start(id: string, payload: { data?: unknown; query?: unknown; extensions?: { authorization?: Record<string, string>; resumeFrom?: unknown } }): Promise<void> {
    if (typeof payload.data !== 'string') {
      options.send(errorFrame(id, [{ errorType: 'UnsupportedOperation', message: 'unknown not supported through the realtime channel' }]));
      return;
    }
    let request: GraphqlRequest;
    try {
      const parsed = JSON.parse(payload.data) as { query?: unknown; variables?: unknown; operationName?: unknown };
      if (typeof parsed.query !== 'string') throw new Error('no query');
      request = {
        query: parsed.query,
        variables: parsed.variables !== null && typeof parsed.variables === 'object' ? (parsed.variables as Record<string, unknown>) : null,
        operationName: typeof parsed.operationName === 'string' ? parsed.operationName : null,
      };
    } catch {
      options.send(errorFrame(id, [{ errorType: 'MalformedHttpRequestException', message: 'Unable to parse GraphQL query.' }]));
      return;
    }
    let auth: AuthContext;
    const header = payload.extensions?.authorization;
    if (header !== undefined && header !== null && typeof header === 'object') {
      const outcome = await options.authenticateStart(header, payload.data);
      if (!outcome.ok) {
        options.send(errorFrame(id, [{ errorType: 'UnauthorizedException', message: outcome.message }]));
        return;
      }
      auth = outcome.auth;
    } else if ('error' in connectionAuth) {
      options.send(errorFrame(id, [{ errorType: 'UnauthorizedException', message: connectionAuth.error }]));
      return;
    } else {
      auth = connectionAuth;
    }
    if (state !== 'ready' || subs.get(id) !== 'pending') return;
    const resumeFrom = payload.extensions?.resumeFrom;
    // The start of this subscription's `data` frames (`frame-tail.ts`).
    const prefix = `{"type":"data","id":${JSON.stringify(id)}`;
    const outcome = await options.realtime.subscribe(request, { auth, headers: options.headers, domainName: null }, {
      deliver: (json, offset) => {
        if (state === 'ready' && subs.has(id)) options.send(prefix + dataTail(json, offset));
      },
      resyncRequired: (oldestOffset, latestOffset) => {
        if (state === 'ready' && subs.has(id)) options.send(frame({ type: 'resync_required', id, payload: { oldestOffset, latestOffset } }));
      },
      ready: () => (state === 'ready' && subs.has(id) ? options.drained?.() : undefined),
      invalidated: () => {
        if (state !== 'ready') return;
        const s = subs.get(id);
        if (s !== undefined && s !== 'pending') s.stop();
        subs.delete(id);
        options.send(frame({ type: 'complete', id, payload: { message: 'Subscription complete.' } }));
        shutdown(1000, 'subscription invalidated');
      },
    }, typeof resumeFrom === 'number' && Number.isInteger(resumeFrom) && resumeFrom >= 0 ? { resumeFrom } : {});
    if (!outcome.ok) {
      subs.delete(id);
      options.send(errorFrame(id, outcome.errors));
      return;
    }
    if (state !== 'ready' || subs.get(id) !== 'pending') {
      // Stopped or closed while we were registering.
      outcome.stop();
      return;
    }
    // Keep only `stop`: the outcome's replay closure holds the prepared subscription, which the
    // registry's group already shares; holding it per subscriber would cost memory per socket.
    const stop = outcome.stop;
    subs.set(id, { stop, field: outcome.fieldName });
    options.send(frame({ type: 'start_ack', id }));
    await outcome.replay();
  }

  return {
    get size() {
      return subs.size;
    },
    describe() {
      const subscriptions: { id: string; field: string }[] = [];
      for (const [id, s] of subs) if (s !== 'pending') subscriptions.push({ id, field: s.field });
      return { authMode: 'error' in connectionAuth ? null : connectionAuth.mode, subscriptions };
    },
    receive(text) {
      if (state === 'closed') return;
      let message: { type?: unknown; id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
      } catch {
        if (state === 'ready') options.send(errorFrame(undefined, [{ errorType: 'MalformedMessage', message: 'Message is not valid JSON.' }]));
        return;
      }
      if (message === null || typeof message !== 'object') return;
      if (message.type === 'connection_init') {
        if ('error' in connectionAuth) {
          options.send(frame({ type: 'connection_error', payload: { errors: [{ errorType: 'UnauthorizedException', message: connectionAuth.error, errorCode: 401 }] } }));
          shutdown(1000, 'unauthorized');
          return;
        }
        if (state === 'ready') return;
        state = 'ready';
        initTimer?.cancel();
        initTimer = undefined;
        options.send(frame({ type: 'connection_ack', payload: { connectionTimeoutMs } }));
        keepAlive();
        credentials.arm(connectionAuth);
        return;
      }
      // "All messages sent before receiving connection_ack are ignored."
      if (state !== 'ready') return;
      const id = typeof message.id === 'string' ? message.id : undefined;
      switch (message.type) {
        case 'start': {
          if (id === undefined || id === '') {
            options.send(errorFrame(undefined, [{ errorType: 'BadRequestException', message: 'Subscription id is required.' }]));
            return;
          }
          if (subs.has(id)) {
            options.send(errorFrame(id, [{ errorType: 'DuplicatedOperationError', message: `Subscription with id ${id} already exists.` }]));
            return;
          }
          if (subs.size >= maxSubscriptions) {
            options.send(errorFrame(id, [{ errorType: 'MaxSubscriptionsReachedError', message: `Max number of ${maxSubscriptions} subscriptions reached` }]));
            return;
          }
          subs.set(id, 'pending');
          void start(id, (message.payload ?? {}) as Parameters<typeof start>[1]).catch(() => {
            subs.delete(id);
            options.send(errorFrame(id, [{ errorType: 'InternalFailure', message: 'An internal failure occurred while starting the subscription.' }]));
          });
          return;
        }
        case 'stop': {
          if (id === undefined) return;
          const s = subs.get(id);
          if (s !== undefined && s !== 'pending') s.stop();
          subs.delete(id);
          options.send(frame({ type: 'complete', id }));
          return;
        }
        case 'refresh':
          void refresh(message.payload as { authorization?: unknown } | undefined);
          return;
        case 'connection_terminate':
          shutdown(1000, 'terminated by client');
          return;
        default:
          options.send(errorFrame(id, [{ errorType: 'UnsupportedOperation', message: `Unknown message type ${JSON.stringify(message.type)}.` }]));
      }
    },
    closed() {
      if (state === 'closed') return;
      state = 'closed';
      cleanup();
    },
  };
}
