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
 */

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
}
