/**
 * One NATS connection per node, shared by the JetStream event log and the fan-out.
 *
 * Once connected, the client reconnects forever (`maxReconnectAttempts: -1`): a NATS restart is an
 * outage to ride out, not a reason for the node to die. What is published while the client is
 * reconnecting is dropped (nats.js starts each dial with an empty outbound buffer): the fan-out
 * loses those messages (it is at most once), and the event log waits for the reconnect before it
 * publishes (`link-state.ts`), failing after its timeout; the caller retries with the same ids.
 * At start, an unreachable server is an error at once, with the address in the message, so a
 * node with a wrong `--nats` URL fails loudly instead of waiting.
 */
import { connect, type ConnectionOptions, type NatsConnection } from 'nats';
import { SwitchboardError } from '../../core/index.ts';

export interface ConnectNatsOptions {
  /** `nats://host:port`, or several for a NATS cluster. */
  readonly servers: string | readonly string[];
  /** Shown by the server (`nats server report connections`): e.g. `switchboard-<node id>`. */
  readonly name: string;
  /** How long the first connection may take, in ms (default 5000). */
  readonly timeoutMs?: number;
  /** Wait between reconnect attempts, in ms (default 500). */
  readonly reconnectWaitMs?: number;
}

export async function connectNats(options: ConnectNatsOptions): Promise<NatsConnection> {
  const servers = typeof options.servers === 'string' ? [options.servers] : [...options.servers];
  const config: ConnectionOptions = {
    servers,
    name: options.name,
    maxReconnectAttempts: -1,
    reconnectTimeWait: options.reconnectWaitMs ?? 500,
    timeout: options.timeoutMs ?? 5_000,
    // A first failure is reported, not retried: see the header comment.
    waitOnFirstConnect: false,
    // No stack captured per request: the event log makes one request per record appended.
    noAsyncTraces: true,
  };
  try {
    return await connect(config);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new SwitchboardError('SB_STORAGE_FAILED', `cannot connect to NATS at ${servers.join(', ')}: ${reason} (is nats-server running, with -js for the event log?)`, {
      cause,
      details: { servers },
    });
  }
}
