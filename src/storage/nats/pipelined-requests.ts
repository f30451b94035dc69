/**
 * Many requests at once over one NATS connection, answered on one reply subscription: what the
 * event log uses for an append's publishes (one per record) and a read's direct gets.
 *
 * nats.js's own `request` is built for one request at a time: each one gets a timer, a race of
 * two promises, a mux entry, and (whatever the outcome) a `NatsError` with its stack trace when it
 * is settled. For a 100-record append that was most of the client's CPU. Here a *batch* of
 * requests costs one promise and one timer: every request is published in one synchronous loop
 * (so they leave in order, on one connection, in one socket write when they fit), each with the
 * reply subject `<inbox>.<n>` (`n` a counter), and the batch resolves once every request has its
 * reply or its deadline has passed.
 *
 * What a batch resolves to, per request, in the order sent: the reply message (whatever it says:
 * a 503 "no responders" or a JetStream error is the caller's to read), or an `Error`:
 * - a `NatsError` with code `TIMEOUT` when no reply came in time (lost with a dying connection,
 *   or the server is slow): the request may or may not have taken effect;
 * - the error `nc.publish` threw (connection closed or draining): then that request and every one
 *   after it in the batch were never sent, while the ones before it were;
 * - a `NatsError` with code `CONNECTION_CLOSED` for the requests still waiting when the connection
 *   closes.
 *
 * Concurrency contract: one reply subscription per connection (a WeakMap), created on first use
 * and ended by the connection's close; any number of batches may be in flight on it. A reply that
 * comes after its batch's deadline is dropped.
 */
import { createInbox, ErrorCode, NatsError, type Msg, type MsgHdrs, type NatsConnection } from 'nats';

export interface OutgoingRequest {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly headers?: MsgHdrs | undefined;
}

export type Reply = Msg | Error;

export interface PipelinedRequests {
  /** Sends every request now, in order; resolves with one reply or error per request (see the header). */
  send(requests: readonly OutgoingRequest[], timeoutMs: number): Promise<Reply[]>;
}

interface Batch {
  /** Token of the batch's first request; request `i` has token `first + i`. */
  readonly first: number;
  readonly replies: (Reply | undefined)[];
  /** Requests still waiting for a reply. */
  waiting: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  readonly resolve: (replies: Reply[]) => void;
}

const perConnection = new WeakMap<NatsConnection, PipelinedRequests>();

export function pipelinedRequests(nc: NatsConnection): PipelinedRequests {
  let requests = perConnection.get(nc);
  if (requests === undefined) {
    requests = create(nc);
    perConnection.set(nc, requests);
  }
  return requests;
}

function create(nc: NatsConnection): PipelinedRequests {
  const inbox = `${createInbox()}.`;
  /** Token of a request waiting for its reply → its batch. */
  const waiting = new Map<number, Batch>();
  let next = 0;

  const finish = (batch: Batch): void => {
    if (batch.timer !== undefined) clearTimeout(batch.timer);
    batch.resolve(batch.replies as Reply[]);
  };

  /** Settles every request of `batch` still waiting with `error`. */
  const abandon = (batch: Batch, error: Error): void => {
    for (let i = 0; i < batch.replies.length; i++) {
      if (batch.replies[i] !== undefined) continue;
      waiting.delete(batch.first + i);
      batch.replies[i] = error;
    }
    batch.waiting = 0;
    finish(batch);
  };

  const sub = nc.subscribe(`${inbox}*`, {
    callback: (error, m) => {
      if (error !== null) return;
      const token = Number(m.subject.slice(inbox.length));
      const batch = waiting.get(token);
      if (batch === undefined) return;
      waiting.delete(token);
      batch.replies[token - batch.first] = m;
      if (--batch.waiting === 0) finish(batch);
    },
  });
  void sub.closed.then(() => {
    const closed = NatsError.errorForCode(ErrorCode.ConnectionClosed);
    for (const batch of new Set(waiting.values())) abandon(batch, closed);
  });

  return {
    send(requests, timeoutMs) {
      if (requests.length === 0) return Promise.resolve([]);
      return new Promise<Reply[]>((resolve) => {
        const first = next;
        next += requests.length;
        const batch: Batch = { first, replies: new Array<Reply | undefined>(requests.length).fill(undefined), waiting: requests.length, timer: undefined, resolve };
        for (let i = 0; i < requests.length; i++) {
          const r = requests[i] as OutgoingRequest;
          waiting.set(first + i, batch);
          try {
            nc.publish(r.subject, r.data, r.headers === undefined ? { reply: `${inbox}${first + i}` } : { reply: `${inbox}${first + i}`, headers: r.headers });
          } catch (error) {
            // Nothing from here on was sent: fail it all, and do not send later ones out of order.
            for (let j = i; j < requests.length; j++) {
              waiting.delete(first + j);
              batch.replies[j] = error instanceof Error ? error : new Error(String(error));
              batch.waiting--;
            }
            break;
          }
        }
        if (batch.waiting === 0) {
          finish(batch);
          return;
        }
        batch.timer = setTimeout(() => abandon(batch, NatsError.errorForCode(ErrorCode.Timeout)), timeoutMs);
      });
    },
  };
}
