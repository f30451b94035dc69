/**
 * Shared by the `api-*` tests: a real Switchboard server with the real EventBridge SDK client
 * pointed at it, and a reader of what PutEvents left in the event log (a second connection to the
 * server's SQLite file, as an operator would open it).
 */
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { openDatabase, createSqliteEventLog, eventLogMigrations, type LogRecord } from '../../src/storage/index.ts';
import { startTestServer, type TestServer } from '../support/in-process.ts';
import { REPO_ROOT } from '../support/server-process.ts';

export const HELLO_APP = join(REPO_ROOT, 'test/fixtures/apps/hello');

export interface BusApiHarness {
  readonly server: TestServer;
  readonly client: EventBridgeClient;
  clientWith(credentials: { accessKeyId: string; secretAccessKey: string }): EventBridgeClient;
  /** The records of stream `bus:<name>`. */
  busLog(bus?: string): Promise<readonly LogRecord[]>;
  close(): Promise<void>;
}

export function eventBridgeClient(url: string, credentials: { accessKeyId: string; secretAccessKey: string }): EventBridgeClient {
  // No retries: a refused request must surface as the error the server sent, at once.
  return new EventBridgeClient({ endpoint: url, region: 'us-east-1', credentials, maxAttempts: 1 });
}

export async function startBusApi(): Promise<BusApiHarness> {
  const server = await startTestServer(HELLO_APP);
  const clients: EventBridgeClient[] = [];
  const clientWith = (credentials: { accessKeyId: string; secretAccessKey: string }): EventBridgeClient => {
    const c = eventBridgeClient(server.url, credentials);
    clients.push(c);
    return c;
  };
  return {
    server,
    client: clientWith(server.accessKey),
    clientWith,
    async busLog(bus = 'default') {
      const db = openDatabase({ path: join(server.dataDir, 'switchboard.db') }, [eventLogMigrations]);
      try {
        return await createSqliteEventLog(db).read(`bus:${bus}`, 0, 1000);
      } finally {
        db.close();
      }
    },
    async close() {
      for (const c of clients) c.destroy();
      await server.close();
    },
  };
}

/** The error a rejected SDK call threw: its name, message and HTTP status. */
export async function sdkError(call: Promise<unknown>): Promise<{ name: string; message: string; status: number | undefined }> {
  try {
    await call;
  } catch (error) {
    const e = error as { name: string; message: string; $metadata?: { httpStatusCode?: number } };
    return { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode };
  }
  throw new Error('the call succeeded; an error was expected');
}
