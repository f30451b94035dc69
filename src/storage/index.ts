export type { AppendOptions, EventLog, LogRecord, NewLogRecord } from './event-log.ts';
export type { TableStore, ItemChange, ChangeSink, ItemRef, StoredItem, SortKeyValue, SortRange, PartitionQuery, ScanRequest, Write } from './table-store.ts';
export { openDatabase, migrate } from './sqlite/database.ts';
export type { SqliteDb, Migration, MigrationSet, OpenOptions } from './sqlite/database.ts';
export { createSqliteEventLog, eventLogMigrations } from './sqlite/event-log.ts';
export { createSqliteTableStore, tablesMigrations } from './sqlite/table-store.ts';
export { writeBatcherFor } from './sqlite/write-batcher.ts';
export type { WriteBatcher } from './sqlite/write-batcher.ts';
export { DEFAULT_BUS } from './bus-store.ts';
export type { BusStore, StoredBus, StoredRule, StoredTarget, RuleState, CreateBusOutcome, PutRuleOutcome, DeleteRuleOutcome, PutTargetsOutcome, NewDeliveryJob, DeliveryJob, DeliveryPlan, DeliveryStateStore, DeadLetter, StoredDeadLetter, AttemptRecord, RedriveResult, ExhaustedRetryCondition } from './bus-store.ts';
export { createSqliteBusStore, busMigrations } from './sqlite/bus-store.ts';
export type { BusReplayStore, StoredArchive, StoredReplay, ReplayState, ScheduleState, CreateArchiveOutcome, CreateReplayOutcome } from './bus-replay-store.ts';
export type { WorkflowStore, StoredStateMachine, StoredExecution, StoredHistoryBlock, StoredTimer, StoredTask, StepCommit, StateMachineType, ExecutionStatusValue, CreateExecutionOutcome } from './workflow-store.ts';
export { createSqliteWorkflowStore, workflowMigrations } from './sqlite/workflow-store.ts';
export { openThreadedSqliteWorkflowStore } from './sqlite/workflow-writer.ts';
export type { ThreadedWorkflowStore } from './sqlite/workflow-writer.ts';
export type { PushStore, StoredPushSubscription, PutSubscriptionOutcome, LinkOrderOutcome } from './push-store.ts';
export { createSqlitePushStore, pushMigrations } from './sqlite/push-store.ts';
export type { PostgresHandle, PostgresOptions } from './postgres/database.ts';
export type { PgMigration, PgMigrationSet } from './postgres/migrations.ts';
export type { PostgresTableStoreOptions } from './postgres/table-store.ts';
export type { PostgresBusStore, PostgresBusStoreOptions } from './postgres/bus-store.ts';
export type { DeliveryClaims, DeliveryOwner } from './postgres/delivery-state.ts';
export type { PostgresWorkflowStore, TimerClaims } from './postgres/workflow-store.ts';
export type { Fanout, FanoutHandler, FanoutPattern } from './fanout.ts';
export { fanoutPattern } from './fanout.ts';
export { createMemoryFanout, createMemoryFanoutHub } from './memory-fanout.ts';
export type { MemoryFanoutHub, MemoryFanoutOptions } from './memory-fanout.ts';
export type { ConnectNatsOptions } from './nats/connect.ts';
export type { NatsAppendFeedOptions } from './nats/append-feed.ts';
export type { AppendFeed } from './append-feed.ts';
export type { NatsEventLogOptions } from './nats/event-log.ts';
export type { NatsFanoutOptions } from './nats/fanout.ts';
export { alwaysLeader } from './leadership.ts';
export type { Leadership } from './leadership.ts';
export type { PostgresLeadershipOptions } from './postgres/leadership.ts';
export type { PostgresWorkflowStoreOptions } from './postgres/workflow-store.ts';
export type { TaskLeases } from './postgres/task-leases.ts';

/**
 * The cluster backends (PostgreSQL stores, NATS event log and fan-out), loaded on demand: an
 * embedded server never loads the `pg` and `nats` packages (some 70 ms of start-up and 18 MB of
 * memory). Their types are exported above as usual.
 */
export const loadClusterStorage = (): Promise<typeof import('./cluster.ts')> => import('./cluster.ts');
