/**
 * The cluster backends' constructors: PostgreSQL stores, the NATS event log, append feed and
 * fan-out. Loaded through `loadClusterStorage` (index.ts) only when a cluster backend is
 * configured, so that the `pg` and `nats` packages stay unloaded in embedded mode.
 */
export { openPostgres } from './postgres/database.ts';
export { migratePostgres, allPostgresMigrations, pgTablesMigrations, pgBusMigrations, pgWorkflowMigrations, pgPushMigrations } from './postgres/migrations.ts';
export { createPostgresTableStore, relayTableChanges, readTableChanges } from './postgres/table-store.ts';
export { createPostgresBusStore } from './postgres/bus-store.ts';
export { createPostgresWorkflowStore } from './postgres/workflow-store.ts';
export { createPostgresPushStore } from './postgres/push-store.ts';
export { connectNats } from './nats/connect.ts';
export { createNatsEventLog, deleteNatsEventLogStreams } from './nats/event-log.ts';
export { createNatsAppendFeed } from './nats/append-feed.ts';
export { createNatsFanout } from './nats/fanout.ts';
export { createPostgresLeadership } from './postgres/leadership.ts';
