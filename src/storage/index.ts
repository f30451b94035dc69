export type { EventLog, LogRecord, NewLogRecord } from './event-log.ts';
export { openDatabase, migrate } from './sqlite/database.ts';
export type { SqliteDb, Migration, MigrationSet, OpenOptions } from './sqlite/database.ts';
export { createSqliteEventLog, eventLogMigrations } from './sqlite/event-log.ts';
