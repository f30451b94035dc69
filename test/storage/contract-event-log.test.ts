/**
 * The `EventLog` contract (test/storage/contract/event-log-contract.ts) against every adapter:
 * SQLite (a temp file; each `open()` is a second connection to it) and NATS JetStream (each
 * `open()` a second connection; a random stream prefix, deleted after the suite). JetStream runs
 * when NATS is reachable (`SB_TEST_NATS_URL`, default nats://127.0.0.1:4222), is skipped with the
 * reason elsewhere, and fails in CI (`test/support/services.ts`).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor } from '../../src/storage/index.ts';
import { connectNats, createNatsEventLog, deleteNatsEventLogStreams } from '../../src/storage/cluster.ts';
import { requireNats } from '../support/services.ts';
import { describeEventLogContract } from './contract/event-log-contract.ts';

const dir = mkdtempSync(join(tmpdir(), 'sb-contract-log-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describeEventLogContract('SQLite', async () => {
  const db = openDatabase({ path: join(dir, 'data.db') }, [eventLogMigrations]);
  return {
    log: createSqliteEventLog(db),
    async close() {
      await writeBatcherFor(db).drain();
      db.close();
    },
  };
});

const nats = await requireNats();
const prefix = `sbt_${randomUUID().slice(0, 8)}`;
if (nats.skip === false) {
  after(async () => {
    const nc = await connectNats({ servers: nats.url, name: 'contract-cleanup' });
    await deleteNatsEventLogStreams(nc, prefix);
    await nc.close();
  });
}

describeEventLogContract(
  'NATS JetStream',
  async () => {
    const nc = await connectNats({ servers: nats.url, name: 'contract-event-log' });
    return { log: await createNatsEventLog(nc, { prefix }), close: () => nc.close() };
  },
  { skip: nats.skip },
);
