/**
 * Workflows moved out of the shared database file (`switchboard.db`) into a file of their own
 * (`workflows.db`, written by its own thread: `workflow-writer.ts`). A data folder written by an
 * earlier release has its workflow tables in the shared file: they are brought to the current
 * schema there, copied into the workflow file, and only then dropped from the shared file. A crash
 * between the copy and the drop copies again on the next start; rows already copied are kept as
 * they are (`INSERT OR IGNORE`), so nothing is lost or doubled.
 */
import { migrate, type SqliteDb } from './database.ts';
import { workflowMigrations } from './workflow-migrations.ts';

/** Every workflow table, in the order rows are copied. */
const TABLES = ['wf_machines', 'wf_definitions', 'wf_executions', 'wf_history', 'wf_timers', 'wf_tasks'] as const;

/** Moves the workflow tables of `shared` (if it has them) into `workflows` (migrated already). Answers whether it moved anything. */
export function moveWorkflowTables(shared: SqliteDb, workflows: SqliteDb): boolean {
  const recorded = shared.prepare<[], { version: number }>("SELECT version FROM schema_versions WHERE component = 'workflows'").get();
  if (recorded === undefined) return false;
  migrate(shared, [workflowMigrations]);
  workflows.prepare('ATTACH DATABASE ? AS shared').run(shared.name);
  try {
    workflows.transaction(() => {
      for (const table of TABLES) {
        // Both files were built by the same migrations: the same columns in the same order.
        const columns = workflows.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`).all().map((c) => `"${c.name}"`).join(', ');
        workflows.exec(`INSERT OR IGNORE INTO main.${table} (${columns}) SELECT ${columns} FROM shared.${table}`);
      }
    })();
  } finally {
    workflows.exec('DETACH DATABASE shared');
  }
  shared.transaction(() => {
    for (const table of TABLES) shared.exec(`DROP TABLE ${table}`);
    shared.prepare("DELETE FROM schema_versions WHERE component = 'workflows'").run();
  })();
  return true;
}
