/**
 * The `TableStore` port: durable storage for view-model table items (the DynamoDB-style tables of
 * `defineApp({ tables })`). The store knows keys and opaque item text; the expression language,
 * conditions and the DynamoDB request shapes live in `src/tables/` above it.
 *
 * Guarantees every adapter gives:
 * - `atomically` reads the current items, calls `decide` synchronously and writes what it returns,
 *   all as one transaction: no other write to those items interleaves, and either all writes land
 *   or none (a `decide` that throws writes nothing and the error is the promise's rejection).
 * - A write resolves only once durable: it survives `kill -9` of the process.
 * - Items of one partition are returned in sort-key order: numbers numerically, strings and binary
 *   by bytes (binary keys are stored as hex so text order is byte order).
 * - On a view made by `withChanges`, every item a write changes in a table with a `ChangeSink`
 *   gets its change record appended to the sink's event-log stream in the SAME transaction as the
 *   item write: a committed write always has its record, a rolled-back one never does, and both
 *   survive `kill -9` together. Records of one transaction are appended in `refs` order.
 */
import type { NewLogRecord } from './event-log.ts';

/** A sort-key value as stored: numbers compare numerically, text by bytes. */
export type SortKeyValue = { readonly n: number; readonly text: string } | { readonly text: string };

export interface ItemRef {
  readonly table: string;
  /** Partition key value as text (S as is, N canonical, B hex). */
  readonly pk: string;
  readonly sk: SortKeyValue | null;
}

export interface StoredItem {
  readonly pk: string;
  readonly sk: SortKeyValue | null;
  /** The item as JSON text (the tables domain decides the format). */
  readonly item: string;
}

export type SortRange =
  | { readonly op: '=' | '<' | '<=' | '>' | '>='; readonly value: SortKeyValue }
  | { readonly op: 'BETWEEN'; readonly low: SortKeyValue; readonly high: SortKeyValue }
  | { readonly op: 'BEGINS_WITH'; readonly prefix: string };

export interface PartitionQuery {
  readonly pk: string;
  readonly range?: SortRange;
  readonly forward: boolean;
  /**
   * Whether the table's sort key is a number (true) or text or absent (false), when the caller
   * knows it: a store may then read the partition in the one order that key type has. Unset, it
   * orders by both (numbers first), which is right for either.
   */
  readonly numericSortKey?: boolean;
  /** Exclusive start: continue after this sort key (pagination). */
  readonly after?: SortKeyValue | null;
  readonly limit: number;
}

export interface ScanRequest {
  /** Exclusive start (pk, sk) for pagination. */
  readonly after?: { readonly pk: string; readonly sk: SortKeyValue | null };
  readonly limit: number;
}

/** A write decided inside `atomically`: new item text, `null` to delete, `undefined` to leave as is. */
export type Write = string | null | undefined;

/** One item write inside `atomically`, as the store saw it. */
export interface ItemChange {
  readonly ref: ItemRef;
  /** The item text before the write; `undefined` when there was no item. */
  readonly before: string | undefined;
  /** The item text after the write; `undefined` when the write deleted the item. */
  readonly after: string | undefined;
}

/**
 * Where a table's item changes are recorded (DynamoDB Streams' role). The store calls `record`
 * inside the write's transaction for each write whose text differs from what was stored (a delete
 * of an absent item or a rewrite of identical text is not a change), and appends what it returns
 * to `stream` of the `EventLog`. `record` must be synchronous; returning `undefined` records
 * nothing (the domain decides the write changed nothing); throwing fails the write itself.
 */
export interface ChangeSink {
  /** Event-log stream the records are appended to. */
  readonly stream: string;
  /** `offset`: the offset the record will have in `stream` (strictly increasing, never reused). */
  record(change: ItemChange, offset: number): NewLogRecord | undefined;
  /**
   * Called once the transaction that appended at least one record to `stream` is committed (to
   * wake the stream's readers). Must not throw: the write is already durable.
   */
  readonly onCommit?: () => void;
}

export interface TableStore {
  get(ref: ItemRef): Promise<string | undefined>;
  atomically<T>(refs: readonly ItemRef[], decide: (current: readonly (string | undefined)[]) => { readonly writes: readonly Write[]; readonly result: T }): Promise<T>;
  queryPartition(table: string, query: PartitionQuery): Promise<readonly StoredItem[]>;
  scan(table: string, request: ScanRequest): Promise<readonly StoredItem[]>;
  /**
   * Items whose JSON value at `path` (a SQLite JSON path such as `$."gsi1pk"."S"`) equals `value`;
   * how secondary-index queries find their partition in the embedded store.
   */
  findByAttribute(table: string, path: string, value: string): Promise<readonly StoredItem[]>;
  /**
   * A view of the same items whose writes also record changes of the tables named in `sinks`
   * (keyed by table name; replaces the sinks of the view it is called on). The store itself is not
   * changed, so a rebuilt app swaps its sinks by taking a new view.
   */
  withChanges(sinks: Readonly<Record<string, ChangeSink>>): TableStore;
}
