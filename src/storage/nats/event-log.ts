/**
 * `EventLog` on NATS JetStream (cluster mode). Design:
 *
 * **One JetStream stream per log stream** (`log-streams.ts`: names, creation, state). So the
 * JetStream sequence *is* the offset: per stream, from 1, strictly increasing, assigned by the
 * server (two nodes appending to one stream get unique increasing offsets with no coordination),
 * and `head` keeps counting after a purge. A node creates a stream before its first append to it,
 * and again if a publish is answered "no responders" (deleted meanwhile); reads of unknown streams
 * create nothing.
 *
 * **One subject per record id.** A record is published on `<prefix>.log.<stream part>.<id token>`
 * (layout in `log-records.ts`; an id too long for a subject token is hashed there, and carried
 * in a header). JetStream indexes its subjects, which gives two things without a
 * second store:
 * - *Exact, windowless dedupe*: every publish carries `Nats-Expected-Last-Subject-Sequence: 0`
 *   ("store only if this subject is empty"); a repeated id is refused with `wrong last sequence:
 *   <seq>`, and `<seq>` is the offset the id already has. Inside JetStream's duplicate window
 *   (`duplicateWindowMs`, default 2 min) `Nats-Msg-Id` answers first, with a normal PubAck
 *   `{ seq: <first seq>, duplicate: true }` (checked against nats-server 2.9.10). Either way a
 *   repeat gets its first offset and uses up no sequence.
 * - *`find` by id at any age*: a direct get of the last message on the id's subject.
 *   Cost: the server keeps a per-subject index entry for every record kept (measured on
 *   nats-server 2.9.10 with UUID ids: about 200 bytes of server memory per record, +20 MB for
 *   100,000), so memory grows with the records kept, not only with the window. Trim bounds it.
 *   After a record is trimmed its id may be appended again (as in SQLite, where the row is gone),
 *   except inside the duplicate window, where `Nats-Msg-Id` still answers the trimmed offset.
 *
 * **Append = pipelined publishes.** All records of one call are published in one synchronous loop
 * (one client flush, in order, on one connection, so they reach the server in order and, from one
 * node, back to back: JetStream numbers one stream's messages in arrival order), then every PubAck
 * is awaited. Concurrent calls on one node pipeline the same way: none waits for another's acks,
 * and each call's records stay contiguous. The publishes and their acks go through
 * `pipelined-requests.ts` (one reply subscription, one timer per call) rather than nats.js's
 * `js.publish`, whose per-request timer, promise race and settled-request error were most of the
 * client's CPU per record. Each record's ack is read on its own: a new sequence, or the first
 * offset of a repeated id (either refusal below), or an error. So a repeat in the middle of a
 * batch uses up no sequence and the records after it are numbered on from the one before it; a
 * record that fails (timeout, refusal) does not undo its neighbours (see the limits below).
 * `append` resolves only when every record has its ack: JetStream acks after the message is
 * stored (file storage, and with `replicas > 1` after a quorum has it). JetStream has no atomic multi-message publish, so "all or none" degrades to
 * "all, or an error and a retry completes it": when any publish fails (timeout during a
 * disconnect, server error) the call rejects with `SB_STORAGE_FAILED`, some of its records may be
 * stored, and a retry of the same records (same ids) stores exactly the missing ones and answers
 * the stored ones with their offsets: never a duplicate, nothing lost once a retry succeeds.
 * Limits of that: readers may see a prefix of a failed batch before the retry; if a connection
 * drop lost the middle of a batch while a later part was sent again after the reconnect, the retry
 * appends the lost records after it (order kept within what was stored, not across the gap);
 * records appended by two nodes at once may interleave (each call's offsets still increase).
 * A record over the server's `max_payload` fails the whole call before anything is published.
 * During an outage, an append waits for the reconnect (up to `timeoutMs`, `link-state.ts`) before
 * it publishes, since the client would drop what it sends while reconnecting: a short outage
 * delays appends, a long one fails them with nothing written.
 *
 * **`onOffsets`** is called after the last ack and before `append` resolves. It is not
 * transactional with any other store (PostgreSQL or otherwise): a crash between the acks and the
 * hook's own write leaves the records in the log without whatever the hook records, so a caller
 * relying on it must be able to rebuild that from the log (bus delivery re-reads from its cursor).
 *
 * **`read`** asks the stream's state (one request; it answers "nothing new" alone), then fetches
 * `[from, min(last, from + limit - 1)]` with `from = max(after + 1, first)` (sequences have no
 * gaps above the first: nothing deletes single messages): up to `DIRECT_READ_MAX` records by direct
 * gets by sequence, all sent at once (`pipelined-requests.ts`), more through a short-lived
 * ephemeral pull consumer (memory storage, no acks, deleted after the read, expiring on its own if
 * the node dies), whose four requests (create, info, fetch, delete) cost more than the gets up to
 * about 150 records. Measured on this machine (nats-server 2.9.10, 300-byte payloads, medians of
 * 7, 2 shared cores): 100 records by direct gets 2.3 ms (client 9.5 µs and server 13 µs CPU per
 * record), by the consumer 2.8 ms (15 µs, 17 µs); 32 records 1.1 ms against 2.1 ms; 400 records
 * 8.3 ms against 6.4 ms (server 13 µs against 7 µs per record).
 *
 * **`trim(through)`** purges the stream below `min(through, last) + 1`: JetStream's purge by
 * sequence would move the stream's last sequence forward when asked beyond it, so it is clamped.
 *
 * Concurrency contract: the adapter holds no lock and no per-stream state (only caches of name
 * encodings and of which streams exist: a direct get to a missing stream is not refused but times
 * out, so `find` asks for the stream's state first when it has not seen the stream yet); any
 * number of nodes may append to, read and trim one stream at once.
 */
import type { JetStreamClient, JetStreamManager, NatsConnection } from 'nats';
import { SwitchboardError } from '../../core/index.ts';
import type { AppendOptions, EventLog, LogRecord, NewLogRecord } from '../event-log.ts';
import { directGet, directGetAnswer, directGetBySeq, directGetSubject } from './direct-get.ts';
import { decodeRecord, encodeRecord, type EncodedRecord } from './log-records.ts';
import { linkState } from './link-state.ts';
import { pipelinedRequests, type OutgoingRequest, type Reply } from './pipelined-requests.ts';
import { errorMessage, isNoResponders, readAck, type Outcome } from './jetstream-answers.ts';
import { firstSeqAtTime, readThroughConsumer } from './consumer-read.ts';
import { logStreams, type StreamNames } from './log-streams.ts';
import { checkPrefix, encodeIdToken } from './names.ts';

export { deleteNatsEventLogStreams } from './log-streams.ts';

export interface NatsEventLogOptions {
  /** Prefix of every stream name (`<prefix>_...`) and subject (`<prefix>.log...`); default `SB`. */
  readonly prefix?: string;
  /** Copies of each stream in a NATS cluster (1, 3 or 5); default 1. */
  readonly replicas?: number;
  /** JetStream's `Nats-Msg-Id` window for new streams, in ms; default 120,000 (JetStream's own). */
  readonly duplicateWindowMs?: number;
  /** How long one JetStream request (a publish's ack, a read) may take, in ms; default 5,000. */
  readonly timeoutMs?: number;
}

/** Reads of up to this many records use direct gets; longer ones a consumer (see the header). */
export const DIRECT_READ_MAX = 128;

export async function createNatsEventLog(nc: NatsConnection, options: NatsEventLogOptions = {}): Promise<EventLog> {
  const prefix = checkPrefix(options.prefix ?? 'SB');
  const timeout = options.timeoutMs ?? 5_000;
  const replicas = options.replicas ?? 1;
  const duplicateWindow = options.duplicateWindowMs ?? 120_000;
  let jsm: JetStreamManager;
  try {
    // Asks the server for the account's JetStream info: fails here when JetStream is off.
    jsm = await nc.jetstreamManager({ timeout });
  } catch (cause) {
    throw new SwitchboardError('SB_STORAGE_FAILED', `NATS at ${nc.getServer()} has no JetStream (start nats-server with -js): ${errorMessage(cause)}`, { cause });
  }
  const js: JetStreamClient = nc.jetstream({ timeout });
  const link = linkState(nc);
  const requests = pipelinedRequests(nc);
  const streams = logStreams(jsm, requests, { prefix, replicas, duplicateWindowMs: duplicateWindow, timeoutMs: timeout });
  const { namesOf, stateOf } = streams;

  /** Publishes every record of the batch now, in order (see "Append" in the header); one outcome per record. */
  const publishAll = async (names: StreamNames, encoded: readonly EncodedRecord[]): Promise<Outcome[]> => {
    const outgoing: OutgoingRequest[] = new Array<OutgoingRequest>(encoded.length);
    for (let i = 0; i < encoded.length; i++) {
      const r = encoded[i] as EncodedRecord;
      outgoing[i] = { subject: `${names.subjectBase}.${r.token}`, data: r.body, headers: r.headers };
    }
    const replies = await requests.send(outgoing, timeout);
    const outcomes: Outcome[] = new Array<Outcome>(replies.length);
    let lookups: Promise<void>[] | undefined;
    for (let i = 0; i < replies.length; i++) {
      const outcome = readAck(replies[i] as Reply);
      if (outcome.kind !== 'repeat') {
        outcomes[i] = outcome;
        continue;
      }
      // Refused as a repeat without its sequence in the answer (never seen on 2.9): ask for it.
      const r = encoded[i] as EncodedRecord;
      (lookups ??= []).push(
        findRecord(names, r.id).then(
          (found) => {
            outcomes[i] = found === undefined ? { kind: 'failed', error: outcome.error } : { kind: 'offset', offset: found.offset };
          },
          (error: unknown) => {
            outcomes[i] = { kind: 'failed', error };
          },
        ),
      );
    }
    if (lookups !== undefined) await Promise.all(lookups);
    return outcomes;
  };

  const findRecord = async (names: StreamNames, id: string): Promise<LogRecord | undefined> => {
    // A direct get to a stream that does not exist is not refused, it times out: ask first.
    if (!streams.known(names) && (await stateOf(names)) === undefined) return undefined;
    try {
      const m = await directGet(nc, names.name, { lastBySubject: `${names.subjectBase}.${encodeIdToken(id)}` }, timeout);
      return m === undefined ? undefined : decodeRecord(names.stream, m);
    } catch (error) {
      // No such stream: nobody answers its direct gets.
      if (isNoResponders(error)) return undefined;
      throw error;
    }
  };

  const readDirect = async (names: StreamNames, from: number, to: number): Promise<LogRecord[]> => {
    const subject = directGetSubject(names.name);
    const gets: OutgoingRequest[] = new Array<OutgoingRequest>(to - from + 1);
    for (let seq = from; seq <= to; seq++) gets[seq - from] = { subject, data: directGetBySeq(seq) };
    const out: LogRecord[] = [];
    for (const reply of await requests.send(gets, timeout)) {
      if (reply instanceof Error) throw reply;
      const m = directGetAnswer(reply);
      // Undefined: trimmed since the state was read.
      if (m !== undefined) out.push(decodeRecord(names.stream, m));
    }
    return out;
  };

  const readWithConsumer = (names: StreamNames, from: number, count: number): Promise<LogRecord[]> => readThroughConsumer({ jsm, js, timeout }, names, from, count);

  const fail = (op: string, stream: string, cause: unknown): SwitchboardError =>
    cause instanceof SwitchboardError ? cause : new SwitchboardError('SB_STORAGE_FAILED', `JetStream ${op} on ${JSON.stringify(stream)} failed: ${errorMessage(cause)}`, { cause, details: { stream } });

  return {
    async append(stream: string, records: readonly NewLogRecord[], options?: AppendOptions): Promise<readonly number[]> {
      if (records.length === 0) return [];
      const names = namesOf(stream);
      const encoded = records.map(encodeRecord);
      const max = nc.info?.max_payload ?? 1024 * 1024;
      const tooBig = encoded.find((r) => r.size > max);
      if (tooBig !== undefined) {
        throw new SwitchboardError('SB_STORAGE_FAILED', `event-log record ${JSON.stringify(tooBig.id)} on ${JSON.stringify(stream)} is ${tooBig.size} bytes, over the NATS server's max_payload of ${max}; nothing of this append was written`, {
          details: { stream, id: tooBig.id, size: tooBig.size, max },
        });
      }
      if (!(await link.whenConnected(timeout))) {
        throw new SwitchboardError('SB_STORAGE_FAILED', `JetStream append to ${JSON.stringify(stream)}: NATS has been unreachable for ${timeout} ms; nothing of this append was written`, { details: { stream } });
      }
      // The stream must exist before the batch leaves: created while the batch is in flight, it
      // would store the batch's tail and refuse its head, and the retry would put the head last.
      if (!streams.known(names)) {
        try {
          await streams.ensure(names);
        } catch (cause) {
          throw fail('stream creation', stream, cause);
        }
      }
      // All publishes leave in one synchronous loop: see "Append" in the header.
      let outcomes = await publishAll(names, encoded);
      if (outcomes.some((o) => o.kind === 'no-stream')) {
        // The stream was deleted since this node saw it: create it again, send the batch again
        // (whatever did get stored is answered by the dedupe).
        try {
          await streams.ensure(names);
        } catch (cause) {
          throw fail('stream creation', stream, cause);
        }
        outcomes = await publishAll(names, encoded);
      }
      const offsets: number[] = new Array<number>(outcomes.length);
      let failed = 0;
      let firstError: unknown;
      for (let i = 0; i < outcomes.length; i++) {
        const o = outcomes[i] as Outcome;
        if (o.kind === 'offset') offsets[i] = o.offset;
        else if (failed++ === 0) firstError = o.kind === 'no-stream' ? 'no stream answers the subject' : o.error;
      }
      if (failed < records.length) streams.remember(names);
      if (failed > 0) {
        throw new SwitchboardError('SB_STORAGE_FAILED', `JetStream append to ${JSON.stringify(stream)}: ${failed} of ${records.length} records not acknowledged (${errorMessage(firstError)}); the others are stored, and a retry with the same ids completes the batch without duplicates`, {
          cause: firstError,
          details: { stream, failed, records: records.length },
        });
      }
      options?.onOffsets?.(offsets);
      return offsets;
    },

    async read(stream, after, limit) {
      if (limit <= 0) return [];
      const names = namesOf(stream);
      try {
        const state = await stateOf(names);
        if (state === undefined || state.messages === 0) return [];
        const from = Math.max(after + 1, state.first_seq);
        const to = Math.min(state.last_seq, from + limit - 1);
        if (from > to) return [];
        return to - from + 1 <= DIRECT_READ_MAX ? await readDirect(names, from, to) : await readWithConsumer(names, from, to - from + 1);
      } catch (cause) {
        throw fail('read', stream, cause);
      }
    },

    async find(stream, id) {
      try {
        return await findRecord(namesOf(stream), id);
      } catch (cause) {
        throw fail('find', stream, cause);
      }
    },

    async head(stream) {
      try {
        return (await stateOf(namesOf(stream)))?.last_seq ?? 0;
      } catch (cause) {
        throw fail('head', stream, cause);
      }
    },

    async offsetAtTime(stream, time) {
      const names = namesOf(stream);
      try {
        const state = await stateOf(names);
        if (state === undefined || state.messages === 0) return undefined;
        return (await firstSeqAtTime({ jsm, js, timeout }, names.name, time)) ?? state.last_seq + 1;
      } catch (cause) {
        throw fail('offsetAtTime', stream, cause);
      }
    },

    async trim(stream, through) {
      const names = namesOf(stream);
      try {
        const state = await stateOf(names);
        if (state === undefined) return;
        const upTo = Math.min(through, state.last_seq);
        if (upTo < state.first_seq) return;
        // Purge keeps `seq` and above: everything through `upTo` goes, the last sequence stays.
        await jsm.streams.purge(names.name, { seq: upTo + 1 });
      } catch (cause) {
        throw fail('trim', stream, cause);
      }
    },
  };
}
