/** A SQLite workflow store in a temp folder for the engine tests (apart from support.ts, which the interpreter tests load without storage). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteWorkflowStore, openDatabase, workflowMigrations, type WorkflowStore } from '../../src/storage/index.ts';

/** A store in a folder of its own (`prefix`), closed and removed when the test ends. */
export function tempWorkflowStore(t: { after(fn: () => void): void }, prefix: string): WorkflowStore {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const db = openDatabase({ path: join(dir, 'workflows.db') }, [workflowMigrations]);
  t.after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return createSqliteWorkflowStore(db);
}
