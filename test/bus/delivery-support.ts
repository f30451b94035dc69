/**
 * Shared by the `delivery-*` unit tests: a real SQLite file (so a restart can reopen it), the
 * bus store and event log on it, a VirtualClock, and a scripted target.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger, VirtualClock } from '../../src/core/index.ts';
import { busMigrations, createSqliteBusStore, createSqliteEventLog, eventLogMigrations, openDatabase, writeBatcherFor, type BusStore, type EventLog, type SqliteDb } from '../../src/storage/index.ts';
import { createDeliveryService, type DeliveryService, type InvokeOutcome, type TargetInvoker } from '../../src/bus/delivery/index.ts';

export interface Harness {
  readonly clock: VirtualClock;
  readonly db: SqliteDb;
  readonly store: BusStore;
  readonly log: EventLog;
  readonly service: DeliveryService;
  /** ms (virtual) of every invocation. */
  readonly calls: number[];
  /** Appends one event to `bus:default` and waits until its jobs are recorded and started. */
  emit(detailType: string, detail?: object): Promise<void>;
  /** Lets stored writes and started attempts settle without moving the clock. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'sb-delivery-'));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

export async function startHarness(dir: string, answer: (call: number) => InvokeOutcome, clock = new VirtualClock(), invoke?: TargetInvoker): Promise<Harness> {
  const db = openDatabase({ path: join(dir, 'switchboard.db') }, [eventLogMigrations, busMigrations]);
  const store = createSqliteBusStore(db);
  const log = createSqliteEventLog(db);
  const calls: number[] = [];
  const service = createDeliveryService({
    store,
    eventLog: log,
    clock,
    logger: silentLogger,
    random: () => 0.999,
    invoke: invoke ?? (async () => answer(calls.push(clock.now()))),
  });
  const settle = async (): Promise<void> => {
    await service.settle();
    await clock.advance(0);
  };
  await service.start();
  let n = 0;
  return {
    clock,
    db,
    store,
    log,
    service,
    calls,
    async emit(detailType, detail = {}) {
      const id = `event-${++n}-${clock.now()}`;
      const envelope = { version: '0', id, 'detail-type': detailType, source: 'order.api', account: '000000000000', time: new Date(clock.now()).toISOString(), region: 'us-east-1', resources: [], detail };
      await log.append('bus:default', [{ id, time: clock.now(), payload: JSON.stringify(envelope) }]);
      service.poke('default');
      await settle();
    },
    settle,
    async close() {
      await service.stop();
      await writeBatcherFor(db).drain();
      db.close();
    },
  };
}

/** One rule on the default bus matching `order.updated`, with one target. */
export async function orderRule(store: BusStore, target: object, state: 'ENABLED' | 'DISABLED' = 'ENABLED'): Promise<void> {
  const now = Date.now();
  await store.putRule({ bus: 'default', name: 'orders', eventPattern: '{"detail-type":["order.updated"]}', state, createdAt: now, updatedAt: now }, 300);
  await store.putTargets('default', 'orders', [{ id: 'Id' in target ? String(target.Id) : 't1', config: JSON.stringify(target) }], 5);
}

export const APPSYNC_TARGET = { Id: 't1', Arn: 'arn:aws:appsync:us-east-1:000000000000:apis/local', AppSyncParameters: { GraphQLOperation: 'mutation { x }' } };
export const FAIL: InvokeOutcome = { ok: false, code: 'GRAPHQL_ERROR', message: 'boom', retryable: true };
export const OK: InvokeOutcome = { ok: true };
