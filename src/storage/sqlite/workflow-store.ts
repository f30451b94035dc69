/**
 * `WorkflowStore` on a SQLite database shared with the other adapters: every write is one job of
 * the shared write batcher (`workflow-writes.ts`: a step's state, history, timers and tasks commit
 * together, after the compare on `next_event_id`), reads run on the same connection
 * (`workflow-reads.ts`). The server keeps its workflows in a file of their own, written by a thread
 * of its own (`workflow-writer.ts`); this form serves tests and tools that hold one database.
 * The schema is `workflow-migrations.ts`.
 */
import type { WorkflowStore } from '../workflow-store.ts';
import type { SqliteDb } from './database.ts';
import { workflowReads } from './workflow-reads.ts';
import { workflowWrites } from './workflow-writes.ts';
import { writeBatcherFor } from './write-batcher.ts';

export { workflowMigrations } from './workflow-migrations.ts';

export function createSqliteWorkflowStore(db: SqliteDb): WorkflowStore {
  const batcher = writeBatcherFor(db);
  const writes = workflowWrites(db);
  /** A write the batch refused: its transaction may have been rolled back as a whole. */
  const refused = (error: unknown): never => {
    writes.forget();
    throw error;
  };
  return {
    ...workflowReads(db),
    createStateMachine: (m) => batcher.run(() => writes.createStateMachine(m)),
    updateStateMachine: (name, change, now) => batcher.run(() => writes.updateStateMachine(name, change, now)),
    deleteStateMachine: (name) => batcher.run(() => writes.deleteStateMachine(name)),
    async createExecution(e, c) {
      const [outcome, added] = await batcher.run(() => writes.createExecution(e, c)).catch(refused);
      // Only now is the definition row committed: a rolled-back batch must not leave its id cached.
      if (added !== undefined) writes.rememberDefinition(added);
      return outcome;
    },
    commitStep: (c) => batcher.run(() => writes.commitStep(c)).catch(refused),
    deleteClosedExecutions: (before, limit) => batcher.run(() => writes.deleteClosedExecutions(before, limit)),
  };
}
