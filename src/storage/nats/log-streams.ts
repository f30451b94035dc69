/**
 * The JetStream streams behind the event log's log streams (`event-log.ts`): their names, which of
 * them exist, creating one, and reading one's state.
 *
 * `bus:orders` lives in the JetStream stream `<prefix>_<hex of the name>` (`names.ts`), file
 * storage, limits retention, no limits, `replicas` copies, direct get allowed, message deletes
 * denied (only the log's `trim` removes records, and only a prefix), and records are published on
 * `<prefix>.log.<stream part>.<id token>`. Creating is idempotent (the same config twice is one
 * stream; "name in use" from another node's creation counts as created), and concurrent first
 * appends to one stream share one creation request.
 *
 * Concurrency contract: only caches (name encodings, streams seen to exist), each bounded and
 * cleared when full; the server is the truth, so any number of nodes may use one stream at once.
 */
import { DiscardPolicy, nanos, NatsError, RetentionPolicy, StorageType, type JetStreamManager, type NatsConnection, type StreamConfig, type StreamState } from 'nats';
import { apiCode, JS_STREAM_NAME_IN_USE, JS_STREAM_NOT_FOUND, JS_STREAM_SUBJECT_OVERLAP } from './jetstream-answers.ts';
import { checkPrefix, encodeStreamPart } from './names.ts';
import type { PipelinedRequests } from './pipelined-requests.ts';

export interface StreamNames {
  readonly stream: string;
  /** The JetStream stream. */
  readonly name: string;
  /** `<prefix>.log.<stream part>`: a record's subject is this plus `.<id token>`. */
  readonly subjectBase: string;
}

export interface LogStreamsOptions {
  readonly prefix: string;
  readonly replicas: number;
  readonly duplicateWindowMs: number;
  readonly timeoutMs: number;
}

export interface LogStreams {
  namesOf(stream: string): StreamNames;
  /** Whether this node has seen the JetStream stream exist (a direct get to a missing one is not refused but times out). */
  known(names: StreamNames): boolean;
  remember(names: StreamNames): void;
  /** Creates the stream unless it exists; concurrent calls for one stream share one request. */
  ensure(names: StreamNames): Promise<void>;
  /** The stream's state (one `STREAM.INFO` request, pipelined), undefined when there is no such stream. */
  stateOf(names: StreamNames): Promise<StreamState | undefined>;
}

const CACHE_MAX = 10_000;
const emptyRequest = new Uint8Array(0);
const jsonDecoder = new TextDecoder();

export function logStreams(jsm: JetStreamManager, requests: PipelinedRequests, options: LogStreamsOptions): LogStreams {
  const namesCache = new Map<string, StreamNames>();
  const seen = new Set<string>();
  const creating = new Map<string, Promise<void>>();
  const remember = (names: StreamNames): void => {
    if (seen.size > CACHE_MAX) seen.clear();
    seen.add(names.name);
  };

  const create = async (names: StreamNames): Promise<void> => {
    const config: Partial<StreamConfig> & { name: string } = {
      name: names.name,
      description: `Switchboard event log ${JSON.stringify(names.stream).slice(0, 200)}`,
      subjects: [`${names.subjectBase}.*`],
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      num_replicas: options.replicas,
      duplicate_window: nanos(options.duplicateWindowMs),
      allow_direct: true,
      deny_delete: true,
    };
    try {
      await jsm.streams.add(config);
    } catch (error) {
      // Another node created it first (possibly with other settings): it exists, which is all we
      // need. Racing that creation, the server may answer "subjects overlap" rather than "name in
      // use": then the stream of this name is there (a stream of another name on these subjects
      // is still an error).
      const code = apiCode(error);
      const raced = code === JS_STREAM_NAME_IN_USE || (code === JS_STREAM_SUBJECT_OVERLAP && (await jsm.streams.info(names.name).then(() => true, () => false)));
      if (!raced) throw error;
    }
    remember(names);
  };

  return {
    namesOf(stream) {
      let names = namesCache.get(stream);
      if (names === undefined) {
        const part = encodeStreamPart(stream);
        names = { stream, name: `${options.prefix}_${part}`, subjectBase: `${options.prefix}.log.${part}` };
        if (namesCache.size > CACHE_MAX) namesCache.clear();
        namesCache.set(stream, names);
      }
      return names;
    },
    known: (names) => seen.has(names.name),
    remember,
    ensure(names) {
      let pending = creating.get(names.name);
      if (pending === undefined) {
        pending = create(names).finally(() => creating.delete(names.name));
        creating.set(names.name, pending);
      }
      return pending;
    },
    async stateOf(names) {
      const [reply] = await requests.send([{ subject: `$JS.API.STREAM.INFO.${names.name}`, data: emptyRequest }], options.timeoutMs);
      if (reply === undefined || reply instanceof Error) throw reply ?? new Error('no reply');
      const status = reply.headers?.code ?? 0;
      if (status >= 300) throw new NatsError(reply.headers?.description || `stream info failed with status ${status}`, String(status));
      const info = JSON.parse(jsonDecoder.decode(reply.data)) as { readonly state?: StreamState; readonly error?: { readonly err_code?: number; readonly description?: string } };
      if (info.error !== undefined) {
        if (info.error.err_code === JS_STREAM_NOT_FOUND) return undefined;
        throw new Error(`${info.error.description ?? 'JetStream error'} (JetStream error ${info.error.err_code ?? '?'})`);
      }
      if (info.state === undefined) throw new Error('JetStream answered a stream info without a state');
      remember(names);
      return info.state;
    },
  };
}

/**
 * Deletes every JetStream stream an event log with this prefix created (tests clean up with it;
 * an operator can drop a deployment's logs with it). Resolves with how many it deleted.
 */
export async function deleteNatsEventLogStreams(nc: NatsConnection, prefix: string): Promise<number> {
  checkPrefix(prefix);
  const jsm = await nc.jetstreamManager();
  const names: string[] = [];
  for await (const name of jsm.streams.names(`${prefix}.log.>`)) if (name.startsWith(`${prefix}_`)) names.push(name);
  await Promise.all(names.map((name) => jsm.streams.delete(name)));
  return names.length;
}
