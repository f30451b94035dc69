/**
 * `graphql-transport-ws` (the protocol of the `graphql-ws` library) as a state machine over text
 * frames. Credentials travel in the `connection_init` payload: `{"x-api-key": "..."}`,
 * `{"authorization": "<JWT>"}` (a `Bearer ` prefix is fine) or SigV4 headers signed over the
 * AppSync connect request (`POST /graphql/connect`, body `{}`).
 *
 * Close codes are the protocol's: 4400 bad message, 4401 subscribe before ack, 4403 forbidden
 * (credentials refused), 4408 no init in time, 4409 duplicate id, 4429 second init. A message is
 * checked against PROTOCOL.md's shape for its type before anything else (as the `graphql-ws`
 * server does), and every bad one gets the same fixed reason: a reason never echoes client text,
 * which could outgrow a close frame.
 * Queries and mutations are allowed too (`next` + `complete`), as the protocol permits.
 */
import type { Clock, Timer } from '../core/index.ts';
import { createCredentialLifetime, type CredentialLifetime } from './auth-expiry.ts';
import { memoizedTail } from './frame-tail.ts';
import type { AuthContext } from '../auth/index.ts';
import type { ExecutionOutcome, GraphqlRequest, WireError } from '../graphql/index.ts';
import type { ConnectionDescription, ProtocolConnection } from './appsync-protocol.ts';
import type { RealtimeService, SubscribeSink } from './service.ts';

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
  /** `undefined` while the transport takes more frames, else a promise settled once it has (a resume's replay waits for it). */
  drained?(): Promise<void> | undefined;
  close(code: number, reason: string): void;
  readonly headers: Readonly<Record<string, string>>;
  readonly initTimeoutMs?: number;
  readonly maxSubscriptions?: number;
}

export function createTransportWsConnection(options: TransportWsOptions): ProtocolConnection {
  return new TransportWsConnection(options);
}

type Operation = { stop(): void; readonly field: string } | 'pending';

type Payload = Readonly<Record<string, unknown>>;

/** What a client may send, as PROTOCOL.md shapes it (`connection_ack`, `next`, `error` go server to client only). */
type ClientMessage =
  | { readonly type: 'connection_init' | 'ping' | 'pong'; readonly payload?: Payload | null }
  | { readonly type: 'subscribe'; readonly id: string; readonly payload: SubscribePayload }
  | { readonly type: 'complete'; readonly id: string };

interface SubscribePayload {
  readonly query: string;
  readonly variables?: Payload | null;
  readonly operationName?: string | null;
  readonly extensions?: Payload | null;
}

const INVALID_MESSAGE = 'Invalid message received';

const isObject = (value: unknown): value is Payload => value !== null && typeof value === 'object' && !Array.isArray(value);
const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The message in `text`, or `undefined` when it is not one a client may send (close 4400). */
function parseClientMessage(text: string): ClientMessage | undefined {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(message)) return undefined;
  const payload = message['payload'];
  switch (message['type']) {
    case 'connection_init':
    case 'ping':
    case 'pong':
      return payload === undefined || payload === null || isObject(payload) ? (message as ClientMessage) : undefined;
    case 'subscribe': {
      if (!isNonEmptyString(message['id']) || !isObject(payload) || typeof payload['query'] !== 'string') return undefined;
      const { variables, operationName, extensions } = payload;
      if (variables != null && !isObject(variables)) return undefined;
      if (operationName != null && typeof operationName !== 'string') return undefined;
      if (extensions != null && !isObject(extensions)) return undefined;
      return message as ClientMessage;
    }
    case 'complete':
      return isNonEmptyString(message['id']) ? (message as ClientMessage) : undefined;
    default:
      return undefined;
  }
}

/** A header object from a payload: its string values, names lower-cased. */
function headerOf(payload: Payload | null | undefined): Record<string, string> {
  const header: Record<string, string> = {};
  if (payload != null) for (const [k, v] of Object.entries(payload)) if (typeof v === 'string') header[k.toLowerCase()] = v;
  return header;
}

function errorPayload(errors: readonly WireError[]): unknown[] {
  return errors.map((e) => ({ message: e.message, ...(e.locations ? { locations: e.locations.map((l) => ({ line: l.line, column: l.column })) } : {}), ...(e.errorType ? { extensions: { errorType: e.errorType } } : {}) }));
}

/**
 * One connection's state. A class rather than closures over a function's locals: one of these
 * (and one OperationSink per subscription) lives per open socket, so what it holds is what an
 * idle connection costs.
 */
class TransportWsConnection implements ProtocolConnection {
  #state: 'new' | 'initialising' | 'ready' | 'closed' = 'new';
  #auth: AuthContext | undefined;
  readonly #options: TransportWsOptions;
  readonly #ops = new Map<string, Operation>();
  readonly #maxSubscriptions: number;
  // At the token's expiry the socket closes (4403), unless refreshed in band (`ping` + `refresh`).
  readonly #credentials: CredentialLifetime;
  /** Until `connection_ack` (then dropped: a cancelled timer kept per idle socket is ~300 bytes). */
  #initTimer: Timer | undefined;

  constructor(options: TransportWsOptions) {
    this.#options = options;
    this.#maxSubscriptions = options.maxSubscriptions ?? 100;
    this.#credentials = createCredentialLifetime(options.clock, () => this.#shutdown(4403, 'Token has expired.'));
    // The timeout is for the client's `connection_init`, not for our answer to it: an
    // authorizer slower than the timeout (a Lambda's cold start, a JWKS fetch) must not close a
    // client that was in time. The graphql-ws server reads it the same way.
    this.#initTimer = options.clock.setTimer(options.initTimeoutMs ?? 3000, () => {
      if (this.#state === 'new') this.#shutdown(4408, 'Connection initialisation timeout');
    });
  }

  get size(): number {
    return this.#ops.size;
  }

  describe(): ConnectionDescription {
    const subscriptions: { id: string; field: string }[] = [];
    for (const [id, op] of this.#ops) if (op !== 'pending') subscriptions.push({ id, field: op.field });
    return { authMode: this.#auth?.mode ?? null, subscriptions };
  }

  receive(text: string): void {
    if (this.#state === 'closed') return;
    const message = parseClientMessage(text);
    if (message === undefined) return this.#shutdown(4400, INVALID_MESSAGE);
    switch (message.type) {
      case 'connection_init': {
        if (this.#state !== 'new') return this.#shutdown(4429, 'Too many initialisation requests');
        this.#state = 'initialising';
        void this.#options.authenticate(headerOf(message.payload)).then((outcome) => {
          if (this.#state !== 'initialising') return;
          if (!outcome.ok) return this.#shutdown(4403, 'Forbidden');
          this.#auth = outcome.auth;
          this.#state = 'ready';
          this.#initTimer?.cancel();
          this.#initTimer = undefined;
          this.#credentials.arm(outcome.auth);
          this.#send({ type: 'connection_ack' });
        });
        return;
      }
      case 'ping': {
        // Switchboard extension: `{"type":"ping","payload":{"refresh":{"authorization":"<JWT>"}}}`
        // swaps the connection's token without touching its subscriptions.
        const refreshHeader = message.payload?.['refresh'];
        if (this.#state === 'ready' && isObject(refreshHeader)) {
          void this.#refresh(headerOf(refreshHeader));
          return;
        }
        this.#send({ type: 'pong', ...(message.payload !== undefined ? { payload: message.payload } : {}) });
        return;
      }
      case 'pong':
        return;
      case 'subscribe': {
        if (this.#state !== 'ready') return this.#shutdown(4401, 'Unauthorized');
        const { id, payload } = message;
        if (this.#ops.has(id)) return this.#shutdown(4409, `Subscriber for ${id} already exists`);
        if (this.#ops.size >= this.#maxSubscriptions) {
          this.#send({ id, type: 'error', payload: [{ message: `Max number of ${this.#maxSubscriptions} subscriptions reached`, extensions: { errorType: 'MaxSubscriptionsReachedError' } }] });
          return;
        }
        this.#ops.set(id, 'pending');
        void this.#subscribe(id, payload).catch(() => {
          this.#ops.delete(id);
          this.#send({ id, type: 'error', payload: [{ message: 'An internal failure occurred.' }] });
        });
        return;
      }
      case 'complete': {
        const op = this.#ops.get(message.id);
        if (op !== undefined && op !== 'pending') op.stop();
        this.#ops.delete(message.id);
        return;
      }
    }
  }

  closed(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#cleanup();
  }

  /** A live message for subscription `id`: its `next` frame (OperationSink.deliver). */
  deliver(id: string, frame: string): void {
    if (this.#state === 'ready' && this.#ops.has(id)) this.#options.send(frame);
  }

  /** Backpressure for a resume's replay (OperationSink.ready). */
  ready(id: string): Promise<void> | undefined {
    return this.#state === 'ready' && this.#ops.has(id) ? this.#options.drained?.() : undefined;
  }

  resyncRequired(id: string, oldestOffset: number, latestOffset: number): void {
    if (this.#state === 'ready' && this.#ops.has(id)) this.#send({ id, type: 'next', payload: { data: null, extensions: { resync_required: { oldestOffset, latestOffset } } } });
  }

  invalidated(id: string): void {
    const op = this.#ops.get(id);
    if (op !== undefined && op !== 'pending') op.stop();
    this.#ops.delete(id);
    this.#send({ id, type: 'complete' });
  }

  async #refresh(header: Record<string, string>): Promise<void> {
    const current = this.#auth;
    if (current === undefined) return;
    const outcome = await this.#credentials.refresh(current, header, (h) => this.#options.authenticate(h));
    if (this.#state !== 'ready') return;
    if (!outcome.ok) {
      this.#send({ type: 'pong', payload: { refreshed: false, message: outcome.message } });
      return;
    }
    this.#auth = outcome.auth;
    this.#send({ type: 'pong', payload: { refreshed: true, ...(outcome.expiresAt === undefined ? {} : { expiresAt: outcome.expiresAt }) } });
  }

  #shutdown(code: number, reason: string): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#cleanup();
    this.#options.close(code, reason);
  }

  #cleanup(): void {
    this.#initTimer?.cancel();
    this.#initTimer = undefined;
    this.#credentials.cancel();
    for (const op of this.#ops.values()) if (op !== 'pending') op.stop();
    this.#ops.clear();
  }

  #send(value: unknown): void {
    if (this.#state !== 'closed') this.#options.send(JSON.stringify(value));
  }

  async #subscribe(id: string, payload: SubscribePayload): Promise<void> {
    const options = this.#options;
    const request: GraphqlRequest = { query: payload.query, variables: payload.variables ?? null, operationName: payload.operationName ?? null };
    const current = this.#auth as AuthContext;
    if (options.operationType(request) !== 'subscription') {
      const outcome = await options.execute(request, current);
      if (this.#state !== 'ready' || !this.#ops.has(id)) return;
      this.#ops.delete(id);
      if (outcome.status !== 200 || (outcome.body.data === null && outcome.body.errors !== undefined && outcome.operation === undefined)) {
        this.#send({ id, type: 'error', payload: errorPayload(outcome.body.errors ?? []) });
        return;
      }
      this.#send({ id, type: 'next', payload: outcome.body });
      this.#send({ id, type: 'complete' });
      return;
    }
    const resumeFrom = payload.extensions?.['resumeFrom'];
    const outcome = await options.realtime.subscribe(request, { auth: current, headers: options.headers, domainName: null }, new OperationSink(this, id), typeof resumeFrom === 'number' && Number.isInteger(resumeFrom) && resumeFrom >= 0 ? { resumeFrom } : {});
    if (!outcome.ok) {
      this.#ops.delete(id);
      this.#send({ id, type: 'error', payload: errorPayload(outcome.errors) });
      return;
    }
    if (this.#state !== 'ready' || this.#ops.get(id) !== 'pending') {
      outcome.stop();
      return;
    }
    // Keep only `stop` (see appsync-protocol.ts: the prepared subscription is shared by the group).
    this.#ops.set(id, { stop: outcome.stop, field: outcome.fieldName });
    await outcome.replay();
  }
}

/** A `next` frame after its id; the offset rides in the result's `extensions` (json is always an object text). */
const nextTail = memoizedTail((json, offset) => `,"type":"next","payload":${json.slice(0, -1)},"extensions":{"offset":${offset}}}}`);

/** What the realtime service delivers to for one subscription: the connection and the id. */
class OperationSink implements SubscribeSink {
  readonly #connection: TransportWsConnection;
  readonly #id: string;
  /** The start of this subscription's `next` frames (`frame-tail.ts`). */
  readonly #prefix: string;

  constructor(connection: TransportWsConnection, id: string) {
    this.#connection = connection;
    this.#id = id;
    this.#prefix = `{"id":${JSON.stringify(id)}`;
  }

  deliver(json: string, offset: number): void {
    this.#connection.deliver(this.#id, this.#prefix + nextTail(json, offset));
  }

  resyncRequired(oldestOffset: number, latestOffset: number): void {
    this.#connection.resyncRequired(this.#id, oldestOffset, latestOffset);
  }

  ready(): Promise<void> | undefined {
    return this.#connection.ready(this.#id);
  }

  invalidated(): void {
    this.#connection.invalidated(this.#id);
  }
}
