/**
 * The peer side of bench/ingest: the "naive durable ingest" a user would write without
 * Switchboard. node:http answering EventBridge's PutEvents JSON shape, better-sqlite3 in WAL mode
 * (synchronous = NORMAL, as Switchboard's default), one INSERT per event and one commit per
 * request, answered after the commit. What it leaves out, in its favour: SigV4 verification, AWS's
 * per-entry checks beyond "Detail is a JSON object", rules and any delivery cursor.
 *
 * For the latency half it also pushes each committed event, as JSON text, to every WebSocket
 * connected on `/events` (the `ws` package): a broadcast with no GraphQL, no subscription
 * filtering and no rule in between, the floor of "event in, socket frame out".
 *
 * Run: node --import ./bin/typescript-loader.mjs bench/peers/naive-ingest-peer.ts <port> <dataDir>
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { WebSocketServer, type WebSocket } from 'ws';

const [portText, dataDir] = process.argv.slice(2);
if (portText === undefined || dataDir === undefined) throw new Error('usage: naive-ingest-peer <port> <dataDir>');
const port = Number(portText);

mkdirSync(dataDir, { recursive: true });
const db = new Database(join(dataDir, 'naive-ingest.db'));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, payload TEXT NOT NULL)');
const insert = db.prepare('INSERT INTO events (id, payload) VALUES (?, ?)');
const insertAll = db.transaction((rows: readonly { id: string; payload: string }[]) => {
  for (const r of rows) insert.run(r.id, r.payload);
});

interface Entry {
  Source?: unknown;
  DetailType?: unknown;
  Detail?: unknown;
  EventBusName?: unknown;
}

type Result = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

const sockets = new Set<WebSocket>();

function putEvents(body: string): { status: number; text: string } {
  let entries: Entry[];
  try {
    entries = (JSON.parse(body) as { Entries: Entry[] }).Entries;
  } catch {
    return { status: 400, text: JSON.stringify({ __type: 'SerializationException', message: 'body is not JSON' }) };
  }
  const rows: { id: string; payload: string }[] = [];
  const results: Result[] = entries.map((e) => {
    let detail: unknown;
    try {
      detail = typeof e.Detail === 'string' ? JSON.parse(e.Detail) : undefined;
    } catch {
      detail = undefined;
    }
    if (typeof e.Source !== 'string' || typeof e.DetailType !== 'string' || detail === null || typeof detail !== 'object') {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const id = randomUUID();
    const payload = JSON.stringify({ version: '0', id, 'detail-type': e.DetailType, source: e.Source, account: '000000000000', time: new Date().toISOString(), region: 'us-east-1', resources: [], detail });
    rows.push({ id, payload });
    return { EventId: id };
  });
  insertAll(rows);
  for (const r of rows) for (const s of sockets) s.send(r.payload);
  return { status: 200, text: JSON.stringify({ FailedEntryCount: entries.length - rows.length, Entries: results }) };
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const out = putEvents(Buffer.concat(chunks).toString('utf8'));
    res.writeHead(out.status, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(out.text);
  });
});
const wss = new WebSocketServer({ server, path: '/events' });
wss.on('connection', (ws) => {
  sockets.add(ws);
  ws.on('close', () => sockets.delete(ws));
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`ready ${port}\n`));
