export type { EventLog, LogRecord, NewLogRecord } from './event-log.ts';
export type { TableStore, ItemRef, StoredItem, SortKeyValue, SortRange, PartitionQuery, ScanRequest, Write } from './table-store.ts';
export { openDatabase, migrate } from './sqlite/database.ts';
export type { SqliteDb, Migration, MigrationSet, OpenOptions } from './sqlite/database.ts';
export { createSqliteEventLog, eventLogMigrations } from './sqlite/event-log.ts';
export { createSqliteTableStore, tablesMigrations } from './sqlite/table-store.ts';
export { writeBatcherFor } from './sqlite/write-batcher.ts';
export type { WriteBatcher } from './sqlite/write-batcher.ts';
