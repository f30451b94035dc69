/**
 * The peer side of bench/http-mutation: seed 003's schema served by a stock Node GraphQL server
 * (mercurius on fastify, or graphql-yoga on node:http) with resolvers doing the same durable work
 * Switchboard does for `createOrder` (one SQLite WAL commit holding the order row and the
 * `order.created` event) and the same nothing for `notifyOrderUpdated`.
 *
 * Run: node --import ./bin/typescript-loader.mjs bench/peers/food-ordering-peer.ts <mercurius|yoga> <port> <dataDir>
 */
import { readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';

const [kind, portText, dataDir] = process.argv.slice(2);
if (kind === undefined || portText === undefined || dataDir === undefined) throw new Error('usage: food-ordering-peer <mercurius|yoga> <port> <dataDir>');
const port = Number(portText);

const seedSchema = readFileSync(new URL('../../examples/food-ordering/schema.graphql', import.meta.url), 'utf8');
// Stock servers know neither the AWS scalars nor the AWS directives: declare them, and give the
// schema the Query root graphql-js requires.
const typeDefs = `
scalar AWSDateTime
directive @aws_api_key on OBJECT | FIELD_DEFINITION
directive @aws_iam on OBJECT | FIELD_DEFINITION
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
type Query { _health: String }
${seedSchema}`;

mkdirSync(dataDir, { recursive: true });
const db = new Database(join(dataDir, `${kind}.db`));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.exec('CREATE TABLE IF NOT EXISTS orders (id TEXT PRIMARY KEY, item TEXT NOT NULL)');
db.exec('CREATE TABLE IF NOT EXISTS events (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL, payload TEXT NOT NULL)');
const insertOrder = db.prepare('INSERT INTO orders (id, item) VALUES (?, ?)');
const insertEvent = db.prepare('INSERT INTO events (id, payload) VALUES (?, ?)');
const commit = db.transaction((order: { id: string }) => {
  insertOrder.run(order.id, JSON.stringify(order));
  insertEvent.run(randomUUID(), JSON.stringify({ source: 'order.api', 'detail-type': 'order.created', detail: order }));
});

interface ProductInput { name: string; quantity: number }
const resolvers = {
  Query: { _health: () => 'ok' },
  Mutation: {
    createOrder: (_: unknown, args: { input: { products: ProductInput[] } }) => {
      const now = new Date().toISOString();
      const order = { id: randomUUID(), status: 'PENDING', products: args.input.products, createdAt: now, updatedAt: now };
      commit(order);
      return order;
    },
    notifyOrderUpdated: (_: unknown, args: { input: Record<string, unknown> }) => args.input,
  },
};

if (kind === 'mercurius') {
  const { default: Fastify } = await import('fastify');
  const { default: mercurius } = await import('mercurius');
  const app = Fastify({ logger: false, bodyLimit: 5 * 1024 * 1024 });
  await app.register(mercurius, { schema: typeDefs, resolvers });
  await app.listen({ port, host: '127.0.0.1' });
} else if (kind === 'yoga') {
  const { createYoga, createSchema } = await import('graphql-yoga');
  const yoga = createYoga({ schema: createSchema({ typeDefs, resolvers }), logging: false, graphiql: false });
  createServer(yoga).listen(port, '127.0.0.1');
} else {
  throw new Error(`unknown peer ${kind}`);
}
process.stdout.write(`ready ${port}\n`);
