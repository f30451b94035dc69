/**
 * The workflow writer thread: the only connection that writes the workflow database. The jobs
 * that arrive during one turn of this thread's event loop (from one or more messages) run in one
 * transaction (`createBatchCommit`, rerunnable: if a job throws, the batch runs again with a
 * savepoint per job and only that one is refused), flushed in the check phase, and are
 * answered once their COMMIT has returned, that is once they are durable. SQLite's work (the
 * statements, the commit's WAL writes) is thus done beside the event loop, not on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from './database.ts';
import { workflowMigrations } from './workflow-migrations.ts';
import { workflowWrites, type AddedDefinition, type WorkflowWrites } from './workflow-writes.ts';
import { createBatchCommit } from './write-batcher.ts';
import { decodeJobs, toWireError, type FromWriter, type ToWriter, type WireOutcome, type WriterData, type WriterJob } from './workflow-writer-protocol.ts';

const port = parentPort;
if (port === null) throw new Error('workflow-writer-thread runs in a worker thread');
const data = workerData as WriterData;
// The store migrated the file before it started this thread: this is a no-op, and a check.
const db = openDatabase({ path: data.path, fsync: data.fsync }, [workflowMigrations]);
const writes = workflowWrites(db);
// Its jobs only write to the database: a batch runs again, with savepoints, if one of them throws.
const transaction = createBatchCommit(db, { rerunnable: true });

/** Runs one job; a definition row it stored is handed to `stored`, to remember once committed. */
function perform(writes: WorkflowWrites, job: WriterJob, stored: (definition: AddedDefinition) => void): unknown {
  switch (job[0]) {
    case 'createStateMachine':
      return writes.createStateMachine(job[1]);
    case 'updateStateMachine':
      return writes.updateStateMachine(job[1], job[2], job[3]);
    case 'deleteStateMachine':
      return writes.deleteStateMachine(job[1]);
    case 'createExecution': {
      const [outcome, definition] = writes.createExecution(job[1], job[2]);
      if (definition !== undefined) stored(definition);
      return outcome;
    }
    case 'commitStep':
      return writes.commitStep(job[1]);
    case 'deleteClosedExecutions':
      return writes.deleteClosedExecutions(job[1], job[2]);
  }
}

let queue: WriterJob[] = [];
/** The definition texts the event loop sent, by number (`JobEncoder`). */
const definitions: string[] = [];
let scheduled = false;

function flush(): void {
  scheduled = false;
  if (queue.length === 0) return;
  const batch = queue;
  queue = [];
  // Per job, the definition it stored in its last run (a batch may run twice: see createBatchCommit).
  const added: (AddedDefinition | undefined)[] = [];
  let outcomes: WireOutcome[];
  try {
    const results = transaction.run(
      batch.map((job, i) => () => {
        added[i] = undefined;
        return perform(writes, job, (definition) => (added[i] = definition));
      }),
    );
    results.forEach((o, i) => {
      const definition = added[i];
      // A job rolled back to its savepoint took its definition row back with it.
      if (o.ok && definition !== undefined) writes.rememberDefinition(definition);
    });
    outcomes = results.map((o): WireOutcome => (o.ok ? [1, o.value] : [0, toWireError(o.error)]));
  } catch (error) {
    // Rolled back as a whole: what the writes learned while running the batch may be untrue.
    writes.forget();
    const wire = toWireError(error);
    outcomes = batch.map((): WireOutcome => [0, wire]);
  }
  port?.postMessage({ type: 'done', outcomes } satisfies FromWriter);
}

port.on('message', (message: ToWriter) => {
  if (message.type === 'close') {
    // Jobs sent before the close came before it: they are run first.
    if (scheduled) flush();
    void transaction.close().then(() => {
      db.close();
      port.postMessage({ type: 'closed' } satisfies FromWriter);
      port.close();
    });
    return;
  }
  for (const job of decodeJobs(message, definitions)) queue.push(job);
  if (!scheduled) {
    scheduled = true;
    setImmediate(flush);
  }
});
