/**
 * PutEvents while the bus store cannot answer (cluster mode: PostgreSQL unreachable for a moment,
 * its change listener bumping the configuration version while it reconnects): an event for a bus
 * known to exist before is still taken into the log; a bus never seen is an error, not a guess.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../src/core/index.ts';
import { createBusApi } from '../../src/bus/index.ts';
import { busMigrations, createSqliteBusStore, createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type BusStore } from '../../src/storage/index.ts';

test('a bus known to exist takes events while the store is unreachable; an unknown bus fails the call', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sb-outage-'));
  const db = openDatabase({ path: join(dir, 'sb.db') }, [eventLogMigrations, busMigrations]);
  try {
    const real = createSqliteBusStore(db);
    let down = false;
    let version = 0;
    // The store as cluster mode sees it during an outage: every lookup fails, the version moves.
    const store = new Proxy(real, {
      get(target, prop, receiver) {
        if (prop === 'getBus') return async (name: string) => (down ? Promise.reject(new Error('connection refused')) : target.getBus(name));
        if (prop === 'configVersion') return () => target.configVersion() + version;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    }) as BusStore;
    const eventLog = createSqliteEventLog(db);
    const api = createBusApi({ store, eventLog, clock: systemClock });
    const caller = { accountId: '000000000000', region: 'us-east-1' };
    const put = (bus: string) =>
      api.handle({ target: 'AWSEvents.PutEvents', caller, body: JSON.stringify({ Entries: [{ EventBusName: bus, Source: 's', DetailType: 'd', Detail: '{}' }] }) });

    assert.equal((await put('default')).status, 200, 'the bus is looked up and remembered');
    down = true;
    version++;
    const during = await put('default');
    assert.equal(during.status, 200, during.body);
    assert.equal((JSON.parse(during.body) as { FailedEntryCount: number }).FailedEntryCount, 0);
    assert.equal((await eventLog.read('bus:default', 0, 10)).length, 2, 'both events are in the log');
    const unknown = await put('never-seen');
    assert.equal(unknown.status, 500, unknown.body);
  } finally {
    await writeBatcherFor(db).drain();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
