/**
 * `graphql-transport-ws` (the protocol of the `graphql-ws` library) as a state machine over text
 * frames. Credentials travel in the `connection_init` payload: `{"x-api-key": "..."}`,
 * `{"authorization": "<JWT>"}` (a `Bearer ` prefix is fine) or SigV4 headers signed over the
 * AppSync connect request (`POST /graphql/connect`, body `{}`).
 *
 * Close codes are the protocol's: 4400 bad message, 4401 subscribe before ack, 4403 forbidden
 * (credentials refused), 4408 no init in time, 4409 duplicate id, 4429 second init.
 * Queries and mutations are allowed too (`next` + `complete`), as the protocol permits.
 */
import type { Clock } from '../core/index.ts';
import { createCredentialLifetime } from './auth-expiry.ts';
import type { AuthContext } from '../auth/index.ts';
import type { ExecutionOutcome, GraphqlRequest, WireError } from '../graphql/index.ts';
import type { ProtocolConnection } from './appsync-protocol.ts';
import type { RealtimeService } from './service.ts';

export interface TransportWsOptions {
  readonly realtime: RealtimeService;
  readonly clock: Clock;
  /** Authenticates the `connection_init` payload (a header object). */
  authenticate(payload: Readonly<Record<string, string>>): Promise<{ ok: true; auth: AuthContext } | { ok: false; message: string }>;
  /** Which operation a request holds (`undefined`: invalid; the subscribe path reports why). */
  operationType(request: GraphqlRequest): 'query' | 'mutation' | 'subscription' | undefined;
  /** Runs a query or mutation (with its side effects: publishing, invalidation). */
  execute(request: GraphqlRequest, auth: AuthContext): Promise<ExecutionOutcome>;
  send(frame: string): void;
  close(code: number, reason: string): void;
  readonly headers: Readonly<Record<string, string>>;
  readonly initTimeoutMs?: number;
  readonly maxSubscriptions?: number;
}

export function createTransportWsConnection(options: TransportWsOptions): ProtocolConnection {
  let state: 'new' | 'initialising' | 'ready' | 'closed' = 'new';
  let auth: AuthContext | undefined;
  // At the token's expiry the socket closes (4403), unless refreshed in band (`ping` + `refresh`).
  const credentials = createCredentialLifetime(options.clock, () => shutdown(4403, 'Token has expired.'));

  async function refresh(header: Record<string, string>): Promise<void> {
    const current = auth;
    if (current === undefined) return;
    const outcome = await credentials.refresh(current, header, options.authenticate);
    if (state !== 'ready') return;
    if (!outcome.ok) {
      send({ type: 'pong', payload: { refreshed: false, message: outcome.message } });
      return;
    }
    auth = outcome.auth;
    send({ type: 'pong', payload: { refreshed: true, ...(outcome.expiresAt === undefined ? {} : { expiresAt: outcome.expiresAt }) } });
  }
  const ops = new Map<string, { stop(): void; readonly field: string } | 'pending'>();
  const maxSubscriptions = options.maxSubscriptions ?? 100;
  const initTimer = options.clock.setTimer(options.initTimeoutMs ?? 3000, () => {
    if (state === 'new' || state === 'initialising') shutdown(4408, 'Connection initialisation timeout');
  });

  function shutdown(code: number, reason: string): void {
    if (state === 'closed') return;
    state = 'closed';
    cleanup();
    options.close(code, reason);
  }

  function cleanup(): void {
    initTimer.cancel();
    credentials.cancel();
    for (const op of ops.values()) if (op !== 'pending') op.stop();
    ops.clear();
  }

  const send = (value: unknown): void => {
    if (state !== 'closed') options.send(JSON.stringify(value));
  };

  function errorPayload(errors: readonly WireError[]): unknown[] {
    return errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations.map((l) => ({ line: l.line, column: l.column })) } : {}), ...(e.errorType ? { extensions: { errorType: e.errorType } } : {}) }));
  }

  async function subscribe(id: string, payload: Record<string, unknown>): Promise<void> {
    const request: GraphqlRequest = {
      query: payload['query'] as string,
      variables: (payload['variables'] as Record<string, unknown> | null | undefined) ?? null,
      operationName: (payload['operationName'] as string | null | undefined) ?? null,
    };
    const current = auth as AuthContext;
    if (options.operationType(request) !== 'subscription') {
      const outcome = await options.execute(request, current);
      if (state !== 'ready' || !ops.has(id)) return;
      ops.delete(id);
      if (outcome.status !== 200 || (outcome.body.data === null && outcome.body.errors !== undefined && outcome.operation === undefined)) {
        send({ id, type: 'error', payload: errorPayload(outcome.body.errors ?? []) });
        return;
      }
      send({ id, type: 'next', payload: outcome.body });
      send({ id, type: 'complete' });
      return;
    }
    const extensions = payload['extensions'] as { resumeFrom?: unknown } | null | undefined;
    const resumeFrom = extensions?.resumeFrom;
    const outcome = await options.realtime.subscribe(request, { auth: current, headers: options.headers, domainName: null }, {
      deliver: (json, offset) => {
        // The offset rides in the result's `extensions` (json is always an object text).
        if (state === 'ready' && ops.has(id)) options.send(`{"id":${JSON.stringify(id)},"type":"next","payload":${json.slice(0, -1)},"extensions":{"offset":${offset}}}}`);
      },
      resyncRequired: (oldestOffset, latestOffset) => {
        if (state === 'ready' && ops.has(id)) send({ id, type: 'next', payload: { data: null, extensions: { resync_required: { oldestOffset, latestOffset } } } });
      },
      invalidated: () => {
        const op = ops.get(id);
        if (op !== undefined && op !== 'pending') op.stop();
        ops.delete(id);
        send({ id, type: 'complete' });
      },
    }, typeof resumeFrom === 'number' && Number.isInteger(resumeFrom) && resumeFrom >= 0 ? { resumeFrom } : {});
    if (!outcome.ok) {
      ops.delete(id);
      send({ id, type: 'error', payload: errorPayload(outcome.errors) });
      return;
    }
    if (state !== 'ready' || ops.get(id) !== 'pending') {
      outcome.stop();
      return;
    }
    // Keep only `stop` (see appsync-protocol.ts: the prepared subscription is shared by the group).
    const stop = outcome.stop;
    ops.set(id, { stop, field: outcome.fieldName });
    await outcome.replay();
  }

  return {
    get size() {
      return ops.size;
    },
    describe() {
      const subscriptions: { id: string; field: string }[] = [];
      for (const [id, op] of ops) if (op !== 'pending') subscriptions.push({ id, field: op.field });
      return { authMode: auth?.mode ?? null, subscriptions };
    },
    receive(text) {
      if (state === 'closed') return;
      let message: { type?: unknown; id?: unknown; payload?: unknown };
      try {
        message = JSON.parse(text) as typeof message;
        if (message === null || typeof message !== 'object' || typeof message.type !== 'string') throw new Error('no type');
      } catch {
        shutdown(4400, 'Invalid message received');
        return;
      }
      switch (message.type) {
        case 'connection_init': {
          if (state !== 'new') return shutdown(4429, 'Too many initialisation requests');
          state = 'initialising';
          const payload = message.payload !== null && typeof message.payload === 'object' ? (message.payload as Record<string, unknown>) : {};
          const header: Record<string, string> = {};
          for (const [k, v] of Object.entries(payload)) if (typeof v === 'string') header[k.toLowerCase()] = v;
          void options.authenticate(header).then((outcome) => {
            if (state !== 'initialising') return;
            if (!outcome.ok) return shutdown(4403, 'Forbidden');
            auth = outcome.auth;
            state = 'ready';
            initTimer.cancel();
            credentials.arm(outcome.auth);
            send({ type: 'connection_ack' });
          });
          return;
        }
        case 'ping': {
          // Switchboard extension: `{"type":"ping","payload":{"refresh":{"authorization":"<JWT>"}}}`
          // swaps the connection's token without touching its subscriptions.
          const refreshHeader = (message.payload as { refresh?: unknown } | null | undefined)?.refresh;
          if (state === 'ready' && refreshHeader !== null && typeof refreshHeader === 'object') {
            const header: Record<string, string> = {};
            for (const [k, v] of Object.entries(refreshHeader)) if (typeof v === 'string') header[k.toLowerCase()] = v;
            void refresh(header);
            return;
          }
          send({ type: 'pong', ...(message.payload !== undefined ? { payload: message.payload } : {}) });
          return;
        }
        case 'pong':
          return;
        case 'subscribe': {
          if (state !== 'ready') return shutdown(4401, 'Unauthorized');
          const id = message.id;
          const payload = message.payload as Record<string, unknown> | null | undefined;
          if (typeof id !== 'string' || id === '' || payload === null || typeof payload !== 'object' || typeof payload['query'] !== 'string') {
            return shutdown(4400, 'Invalid message received');
          }
          if (ops.has(id)) return shutdown(4409, `Subscriber for ${id} already exists`);
          if (ops.size >= maxSubscriptions) {
            send({ id, type: 'error', payload: [{ message: `Max number of ${maxSubscriptions} subscriptions reached`, extensions: { errorType: 'MaxSubscriptionsReachedError' } }] });
            return;
          }
          ops.set(id, 'pending');
          void subscribe(id, payload).catch(() => {
            ops.delete(id);
            send({ id, type: 'error', payload: [{ message: 'An internal failure occurred.' }] });
          });
          return;
        }
        case 'complete': {
          const id = message.id;
          if (typeof id !== 'string') return shutdown(4400, 'Invalid message received');
          const op = ops.get(id);
          if (op !== undefined && op !== 'pending') op.stop();
          ops.delete(id);
          return;
        }
        default:
          shutdown(4400, `Unexpected message type ${message.type}`);
      }
    },
    closed() {
      if (state === 'closed') return;
      state = 'closed';
      cleanup();
    },
  };
}
