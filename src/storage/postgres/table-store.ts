/**
 * `TableStore` on PostgreSQL: one row per item in `table_items`, keyed by (table, pk, sort key),
 * the item kept as the same JSON text the SQLite adapter stores. Sort keys are two columns, as in
 * SQLite: `sk_n` (double precision, numbers) and `sk_t` (text `COLLATE "C"`, i.e. UTF-8 byte
 * order), ordered `sk_n NULLS FIRST, sk_t` like SQLite orders them (NULL first ascending). As in
 * SQLite, only items with a numeric sort key are in the index on `sk_n` (partial, migration 2): a
 * query that says its key type reads through that index or the primary key.
 *
 * Concurrency contract (several nodes on one database): `atomically` is one transaction that
 * first takes an advisory transaction lock per item key (in one global order, so two writers of
 * overlapping items never deadlock), then reads, calls `decide`, and writes. The lock exists
 * whether or not the item does, so two conditional puts of an absent item serialize exactly as
 * two writes of a present one. Reads (`get`, queries, scans) take no lock and see committed items.
 *
 * Change records (`withChanges`): PostgreSQL cannot commit into the cluster's event log (NATS
 * JetStream), so a view with change sinks writes each change record into the `table_changes`
 * outbox IN THE ITEM WRITE'S TRANSACTION, numbered per stream by `table_change_heads` (the
 * `offset` handed to `ChangeSink.record` is that outbox number: strictly increasing per stream,
 * gapless, never reused; it is not the record's offset in the event log). `relayTableChanges`
 * moves outbox records into an `EventLog` in order and deletes them once appended (at least once;
 * the log's dedupe by record id drops a repeat). With `changeLog` set, each write that recorded
 * changes relays right after its commit, before the sinks' `onCommit` runs; cluster mode must
 * also run `relayTableChanges` periodically (a node can die between commit and relay).
 *
 * What cluster mode must change in the CALLERS: `server/app-services.ts` must build this store with
 * `changeLog` (the JetStream `EventLog`) and start a periodic `relayTableChanges`; nothing in
 * `tables/` changes (the sequence number of a Pipe event is the outbox number, still increasing).
 */
import type pg from 'pg';
import type { EventLog, LogRecord, NewLogRecord } from '../event-log.ts';
import type { ChangeSink, ItemRef, PartitionQuery, ScanRequest, SortKeyValue, SortRange, StoredItem, TableStore, Write } from '../table-store.ts';
import { lockKeys, type PostgresHandle, type Queryable } from './database.ts';

export interface PostgresTableStoreOptions {
  /** The event log change records are relayed to after each commit (cluster: the JetStream one). */
  readonly changeLog?: EventLog;
}

interface Row {
  pk: string;
  sk_n: number | null;
  sk_t: string;
  item: string;
}

const toStored = (row: Row): StoredItem => ({
  pk: row.pk,
  sk: row.sk_t === '' && row.sk_n === null ? null : row.sk_n === null ? { text: row.sk_t } : { n: row.sk_n, text: row.sk_t },
  item: row.item,
});

const skText = (ref: ItemRef): string => ref.sk?.text ?? '';
const skNum = (sk: SortKeyValue | null): number | null => (sk !== null && 'n' in sk ? sk.n : null);
const keyOf = (ref: ItemRef): string => JSON.stringify(['item', ref.table, ref.pk, skText(ref)]);

export function createPostgresTableStore(handle: PostgresHandle, options: PostgresTableStoreOptions = {}): TableStore {
  const pool = handle.pool;

  const view = (sinks: Readonly<Record<string, ChangeSink>>): TableStore => {
    const recording = Object.keys(sinks).length > 0;
    return {
      async get(ref) {
        const { rows } = await pool.query<{ item: string }>('SELECT item FROM table_items WHERE tbl = $1 AND pk = $2 AND sk_t = $3', [ref.table, ref.pk, skText(ref)]);
        return rows[0]?.item;
      },

      async atomically(refs, decide) {
        const appended = new Set<ChangeSink>();
        const result = await handle.transaction(async (client) => {
          appended.clear();
          await lockKeys(client, handle, refs.map(keyOf));
          const current = await readItems(client, refs);
          const { writes, result } = decide(current);
          await writeItems(client, refs, writes);
          if (recording) for (const sink of await recordChanges(client, sinks, refs, current, writes)) appended.add(sink);
          return result;
        });
        if (appended.size > 0) {
          if (options.changeLog !== undefined) await relayTableChanges(handle, options.changeLog).catch(() => undefined);
          for (const sink of appended) sink.onCommit?.();
        }
        return result;
      },

      async queryPartition(table, query: PartitionQuery) {
        const params: unknown[] = [table, query.pk];
        const where: string[] = ['tbl = $1', 'pk = $2'];
        const p = (value: unknown): string => `$${params.push(value)}`;
        if (query.range !== undefined) rangeSql(query.range, where, p);
        if (query.after !== undefined && query.after !== null) {
          const cmp = query.forward ? '>' : '<';
          if ('n' in query.after) {
            const n = p(query.after.n);
            where.push(`(sk_n ${cmp} ${n} OR (sk_n = ${n} AND sk_t ${cmp} ${p(query.after.text)}))`);
          } else {
            where.push(`sk_t ${cmp} ${p(query.after.text)}`);
          }
        }
        // A numeric sort key: the partial index `table_items_numeric` (its condition restated, so
        // that the planner may use it); a text one, or none: the primary key. Key type unknown:
        // both columns, NULL (text) first ascending, as SQLite orders them.
        if (query.numericSortKey === true) where.push('sk_n IS NOT NULL');
        const dir = query.forward ? 'ASC' : 'DESC';
        const order =
          query.numericSortKey === true ? `sk_n ${dir}, sk_t ${dir}` : query.numericSortKey === false ? `sk_t ${dir}` : query.forward ? 'sk_n ASC NULLS FIRST, sk_t ASC' : 'sk_n DESC NULLS LAST, sk_t DESC';
        const text = `SELECT pk, sk_n, sk_t, item FROM table_items WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT ${p(query.limit)}`;
        return (await pool.query<Row>(text, params)).rows.map(toStored);
      },

      async scan(table, request: ScanRequest) {
        if (request.after === undefined) {
          return (await pool.query<Row>('SELECT pk, sk_n, sk_t, item FROM table_items WHERE tbl = $1 ORDER BY pk, sk_t LIMIT $2', [table, request.limit])).rows.map(toStored);
        }
        const { pk, sk } = request.after;
        const text = 'SELECT pk, sk_n, sk_t, item FROM table_items WHERE tbl = $1 AND (pk > $2 OR (pk = $2 AND sk_t > $3)) ORDER BY pk, sk_t LIMIT $4';
        return (await pool.query<Row>(text, [table, pk, sk?.text ?? '', request.limit])).rows.map(toStored);
      },

      async findByAttribute(table, path, value) {
        // SQLite's `json_extract(item, path) = ?` with a text parameter matches JSON strings only.
        // `json`, not `jsonb`: jsonb refuses the `\u0000` escape an item may contain.
        const text = `SELECT pk, sk_n, sk_t, item FROM table_items
          WHERE tbl = $1 AND json_typeof(item::json #> $2::text[]) = 'string' AND (item::json #>> $2::text[]) = $3 ORDER BY pk, sk_t`;
        return (await pool.query<Row>(text, [table, jsonPathSegments(path), value])).rows.map(toStored);
      },

      withChanges: view,
    };
  };
  return view({});
}

async function readItems(client: Queryable, refs: readonly ItemRef[]): Promise<(string | undefined)[]> {
  if (refs.length === 0) return [];
  const { rows } = await client.query<{ tbl: string; pk: string; sk_t: string; item: string }>(
    'SELECT tbl, pk, sk_t, item FROM table_items WHERE (tbl, pk, sk_t) IN (SELECT * FROM unnest($1::text[], $2::text[], $3::text[]))',
    [refs.map((r) => r.table), refs.map((r) => r.pk), refs.map(skText)],
  );
  const found = new Map(rows.map((r) => [JSON.stringify([r.tbl, r.pk, r.sk_t]), r.item]));
  return refs.map((r) => found.get(JSON.stringify([r.table, r.pk, skText(r)])));
}

/** Writes in refs order, so a ref listed twice ends with its last write (as in the SQLite adapter). */
async function writeItems(client: Queryable, refs: readonly ItemRef[], writes: readonly Write[]): Promise<void> {
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i] as ItemRef;
    const write = writes[i];
    if (write === undefined) continue;
    if (write === null) {
      await client.query('DELETE FROM table_items WHERE tbl = $1 AND pk = $2 AND sk_t = $3', [ref.table, ref.pk, skText(ref)]);
    } else {
      await client.query(
        'INSERT INTO table_items (tbl, pk, sk_n, sk_t, item) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tbl, pk, sk_t) DO UPDATE SET item = excluded.item, sk_n = excluded.sk_n',
        [ref.table, ref.pk, skNum(ref.sk), skText(ref), write],
      );
    }
  }
}

/**
 * Builds and stores the change records of one transaction (in refs order), numbering them per
 * stream under the stream's head row lock (taken in stream-name order: no deadlock between two
 * writers of the same streams). Answers the sinks that recorded something.
 */
async function recordChanges(
  client: Queryable,
  sinks: Readonly<Record<string, ChangeSink>>,
  refs: readonly ItemRef[],
  current: readonly (string | undefined)[],
  writes: readonly Write[],
): Promise<Set<ChangeSink>> {
  const candidates: { i: number; sink: ChangeSink }[] = [];
  refs.forEach((ref, i) => {
    const write = writes[i];
    const sink = Object.hasOwn(sinks, ref.table) ? sinks[ref.table] : undefined;
    if (write === undefined || sink === undefined) return;
    if (current[i] !== (write ?? undefined)) candidates.push({ i, sink });
  });
  const appended = new Set<ChangeSink>();
  if (candidates.length === 0) return appended;
  const streams = [...new Set(candidates.map((c) => c.sink.stream))].sort();
  await client.query('INSERT INTO table_change_heads (stream, head) SELECT s, 0 FROM unnest($1::text[]) AS s ORDER BY s ON CONFLICT (stream) DO NOTHING', [streams]);
  const { rows } = await client.query<{ stream: string; head: number }>('SELECT stream, head FROM table_change_heads WHERE stream = ANY($1::text[]) ORDER BY stream FOR UPDATE', [streams]);
  const heads = new Map(rows.map((r) => [r.stream, r.head]));
  const records: { stream: string; seq: number; record: NewLogRecord }[] = [];
  // `before` is what this transaction saw; a ref written twice compares its second write with its first.
  const seen = new Map<string, string | undefined>();
  for (const { i, sink } of candidates) {
    const ref = refs[i] as ItemRef;
    const key = keyOf(ref);
    const before = seen.has(key) ? seen.get(key) : current[i];
    const after = writes[i] ?? undefined;
    seen.set(key, after);
    if (before === after) continue;
    const seq = (heads.get(sink.stream) ?? 0) + 1;
    const record = sink.record({ ref, before, after }, seq);
    if (record === undefined) continue;
    heads.set(sink.stream, seq);
    records.push({ stream: sink.stream, seq, record });
    appended.add(sink);
  }
  if (records.length === 0) return appended;
  await client.query(
    'INSERT INTO table_changes (stream, seq, id, time, payload, meta) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[])',
    [records.map((r) => r.stream), records.map((r) => r.seq), records.map((r) => r.record.id), records.map((r) => r.record.time), records.map((r) => r.record.payload), records.map((r) => r.record.meta ?? null)],
  );
  const moved = [...new Set(records.map((r) => r.stream))];
  await client.query('UPDATE table_change_heads h SET head = v.head FROM unnest($1::text[], $2::bigint[]) AS v(stream, head) WHERE h.stream = v.stream', [moved, moved.map((s) => heads.get(s) ?? 0)]);
  return appended;
}

function rangeSql(range: SortRange, where: string[], p: (value: unknown) => string): void {
  const col = (v: SortKeyValue) => ('n' in v ? 'sk_n' : 'sk_t');
  const val = (v: SortKeyValue) => ('n' in v ? v.n : v.text);
  switch (range.op) {
    case 'BETWEEN':
      where.push(`${col(range.low)} >= ${p(val(range.low))} AND ${col(range.high)} <= ${p(val(range.high))}`);
      return;
    case 'BEGINS_WITH':
      where.push(`starts_with(sk_t, ${p(range.prefix)})`);
      return;
    default:
      where.push(`${col(range.value)} ${range.op} ${p(val(range.value))}`);
  }
}

/** `$."a"."S"` / `$.a[0]` (the SQLite JSON paths the tables domain passes) as `#>` path segments. */
export function jsonPathSegments(path: string): string[] {
  if (!path.startsWith('$')) throw new Error(`unsupported JSON path ${path}`);
  const out: string[] = [];
  let i = 1;
  while (i < path.length) {
    const c = path[i];
    if (c === '.' && path[i + 1] === '"') {
      let j = i + 2;
      let label = '';
      for (;;) {
        if (j >= path.length) throw new Error(`unterminated label in JSON path ${path}`);
        if (path[j] === '"') {
          if (path[j + 1] === '"') {
            label += '"';
            j += 2;
            continue;
          }
          break;
        }
        label += path[j];
        j++;
      }
      out.push(label);
      i = j + 1;
    } else if (c === '.') {
      let j = i + 1;
      while (j < path.length && path[j] !== '.' && path[j] !== '[') j++;
      out.push(path.slice(i + 1, j));
      i = j;
    } else if (c === '[') {
      const j = path.indexOf(']', i);
      if (j < 0) throw new Error(`unterminated index in JSON path ${path}`);
      out.push(path.slice(i + 1, j));
      i = j + 1;
    } else {
      throw new Error(`unsupported JSON path ${path}`);
    }
  }
  return out;
}

/** The outbox records of `stream` not yet relayed, with `offset > after`, in order. */
export async function readTableChanges(handle: PostgresHandle, stream: string, after: number, limit: number): Promise<readonly LogRecord[]> {
  const { rows } = await handle.pool.query<{ stream: string; seq: number; id: string; time: number; payload: string; meta: string | null }>(
    'SELECT stream, seq, id, time, payload, meta FROM table_changes WHERE stream = $1 AND seq > $2 ORDER BY seq LIMIT $3',
    [stream, after, limit],
  );
  return rows.map((r) => ({ stream: r.stream, offset: r.seq, id: r.id, time: r.time, payload: r.payload, ...(r.meta !== null ? { meta: r.meta } : {}) }));
}

/**
 * Moves up to `limit` outbox records into `log` (per stream, in order) and deletes them, under one
 * schema-wide advisory lock so that two nodes never relay at once (which could reorder a stream).
 * Answers how many were relayed; 0 when another node holds the relay. A crash after the append
 * and before the delete relays the records again: the log drops a repeated id.
 */
export async function relayTableChanges(handle: PostgresHandle, log: EventLog, limit = 1_000): Promise<number> {
  return handle.transaction(async (client: pg.PoolClient) => {
    const { rows: lock } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_xact_lock(hashtextextended($1, 0)) AS ok', [handle.lockKey('table-change-relay')]);
    if (lock[0]?.ok !== true) return 0;
    const { rows } = await client.query<{ stream: string; seq: number; id: string; time: number; payload: string; meta: string | null }>(
      'SELECT stream, seq, id, time, payload, meta FROM table_changes ORDER BY stream, seq LIMIT $1',
      [limit],
    );
    const byStream = new Map<string, NewLogRecord[]>();
    for (const r of rows) {
      const list = byStream.get(r.stream) ?? [];
      list.push({ id: r.id, time: r.time, payload: r.payload, ...(r.meta !== null ? { meta: r.meta } : {}) });
      byStream.set(r.stream, list);
    }
    for (const [stream, records] of byStream) await log.append(stream, records);
    if (rows.length > 0) {
      await client.query('DELETE FROM table_changes t USING unnest($1::text[], $2::bigint[]) AS v(stream, seq) WHERE t.stream = v.stream AND t.seq = v.seq', [
        rows.map((r) => r.stream),
        rows.map((r) => r.seq),
      ]);
    }
    return rows.length;
  });
}
