/**
 * Every store contract (`test/storage/contract/`) against the embedded SQLite adapters: each test
 * opens its own database file in this file's temp folder, with the migrations the adapter needs.
 * The workflow store runs twice: on a shared connection, and with its own file and writer thread.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import {
  busMigrations,
  createSqliteBusStore,
  createSqliteEventLog,
  createSqlitePushStore,
  createSqliteTableStore,
  createSqliteWorkflowStore,
  eventLogMigrations,
  openDatabase,
  openThreadedSqliteWorkflowStore,
  pushMigrations,
  tablesMigrations,
  workflowMigrations,
  writeBatcherFor,
  type MigrationSet,
  type SqliteDb,
  type ThreadedWorkflowStore,
} from '../../src/storage/index.ts';
import { describeBusReplayStoreContract } from './contract/bus-replay-store-contract.ts';
import { describeBusStoreContract } from './contract/bus-store-contract.ts';
import { describePushStoreContract } from './contract/push-store-contract.ts';
import { describeTableStoreContract, type StoreFixture } from './contract/table-store-contract.ts';
import { describeWorkflowStoreContract } from './contract/workflow-store-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-contract-sqlite-'));
after(() => rmSync(dir, { recursive: true, force: true }));

let fileNo = 0;

/** A fresh database file; `reopen` closes it (after the pending group commit) and opens it again. */
function sqliteFixture<S>(sets: readonly MigrationSet[], create: (db: SqliteDb) => S): StoreFixture<S> & { db(): SqliteDb } {
  const path = join(dir, `db-${++fileNo}.sqlite`);
  let db = openDatabase({ path }, sets);
  const shut = async (): Promise<void> => {
    if (!db.open) return;
    await writeBatcherFor(db).drain();
    db.close();
  };
  const fixture = {
    store: create(db),
    db: () => db,
    async reopen() {
      await shut();
      db = openDatabase({ path }, sets);
      return create(db);
    },
    close: shut,
  };
  return fixture;
}

describeTableStoreContract('sqlite', async () => {
  const f = sqliteFixture([eventLogMigrations, tablesMigrations], createSqliteTableStore);
  return {
    ...f,
    reopen: f.reopen,
    close: f.close,
    // The change records live in the same file's event log, read through the EventLog adapter.
    readChanges: (stream: string) => createSqliteEventLog(f.db()).read(stream, 0, 10_000),
  };
});

describeBusStoreContract('sqlite', async () => sqliteFixture([busMigrations], createSqliteBusStore));
describeBusReplayStoreContract('sqlite', async () => sqliteFixture([busMigrations], createSqliteBusStore));
describeWorkflowStoreContract('sqlite', async () => sqliteFixture([workflowMigrations], createSqliteWorkflowStore));
describeWorkflowStoreContract('sqlite, writer thread', async () => {
  const path = join(dir, `db-${++fileNo}.sqlite`);
  let store: ThreadedWorkflowStore = openThreadedSqliteWorkflowStore({ path });
  return {
    store,
    async reopen() {
      await store.close();
      store = openThreadedSqliteWorkflowStore({ path });
      return store;
    },
    close: () => store.close(),
  };
});
describePushStoreContract('sqlite', async () => sqliteFixture([pushMigrations], createSqlitePushStore));
