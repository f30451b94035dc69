/**
 * Seed 001 ("Web Push Pattern"): the browser subscribes to push notifications (`POST /subscribe`,
 * stored and published as a "New subscription" event), places an order (GraphQL `createOrder`,
 * whose order.created event starts the order workflow), and follows it (`POST /subscribe/order`,
 * a "Subscribe to order" event). As the order moves, the workflow emits order.updated events; the
 * seed's rule sends a push notification only for OUT_FOR_DELIVERY: here its target is a push
 * notification (`arn:switchboard:push:::notification/out-for-delivery`), sent to every
 * subscription that follows the order. The page is `public/` at http://127.0.0.1:4000/push/.
 *
 *   switchboard start examples/web-push-orders
 *
 * VAPID keys: SB_VAPID_PUBLIC_KEY / SB_VAPID_PRIVATE_KEY (from `switchboard vapid`), else a pair is
 * generated at first start and kept in the data folder. SB_VAPID_SUBJECT: your own contact before
 * you use a real push service. SB_PUSH_ALLOWED_ENDPOINTS (comma-separated origin patterns) lets a
 * local push service in, for tests. SB_ORDER_WAIT_SECONDS shortens the simulated order (default 5 s
 * per step).
 */
import { defineApp } from 'switchboard';

const env = process.env;
const waitSeconds = Number(env['SB_ORDER_WAIT_SECONDS'] ?? 5);
const apiKey = env['SB_API_KEY'] ?? 'da2-pushordersdemokey000000000';
const publicKey = env['SB_VAPID_PUBLIC_KEY'];
const privateKey = env['SB_VAPID_PRIVATE_KEY'];
const allowedEndpoints = env['SB_PUSH_ALLOWED_ENDPOINTS']?.split(',').map((p) => p.trim()).filter((p) => p !== '');

export default defineApp({
  name: 'web-push-orders',
  // The order tracker of examples/food-ordering at /, with its "Enable notifications" button.
  site: '../food-ordering/public',
  api: {
    name: 'web-push-orders-api',
    schema: 'schema.graphql',
    // API_KEY for the pages; IAM for the UpdateOrder rule calling notifyOrderUpdated (seed 003).
    auth: { defaultMode: 'API_KEY', additionalModes: ['AWS_IAM'], apiKeys: [{ key: apiKey, description: 'the demo pages (public/app.js, the tracker at /) use it' }] },
  },
  tables: {
    orders: { partitionKey: 'id' },
  },
  dataSources: {
    orders: { type: 'TABLE', table: 'orders' },
    eventBus: { type: 'EVENT_BUS', bus: 'default' },
    none: { type: 'NONE' },
  },
  // The order service of seed 003, as examples/food-ordering writes it (same files).
  functions: {
    createOrder: { dataSource: 'orders', code: '../food-ordering/resolvers/createOrder.js' },
    putEvent: { dataSource: 'eventBus', code: '../food-ordering/resolvers/putEvent.js' },
  },
  resolvers: {
    'Mutation.createOrder': { pipeline: ['createOrder', 'putEvent'] },
    'Query.getOrder': { dataSource: 'orders', code: 'resolvers/getOrder.js' },
    'Mutation.notifyOrderUpdated': { dataSource: 'none', code: '../food-ordering/resolvers/notifyOrderUpdated.js' },
  },
  workflows: {
    OrderProcessing: {
      definition: '../food-ordering/workflows/OrderProcessing.asl.json',
      definitionSubstitutions: { RestaurantSeconds: waitSeconds, PreparationSeconds: waitSeconds, DeliverySeconds: waitSeconds },
    },
  },
  push: {
    vapid: {
      subject: env['SB_VAPID_SUBJECT'] ?? 'mailto:web-push-orders-demo@users.noreply.github.com',
      ...(publicKey !== undefined && privateKey !== undefined ? { publicKey, privateKey } : {}),
    },
    ...(allowedEndpoints !== undefined ? { allowedEndpoints } : {}),
    notifications: {
      // Stale "out for delivery" news is useless: kept an hour at most; high urgency (iOS wants it).
      'out-for-delivery': { title: 'Your order is on its way', ttlSeconds: 3600, urgency: 'high' },
    },
    page: 'public',
  },
  rules: {
    OrderHandlerRule: {
      eventPattern: { source: ['order.api'], detailType: ['order.created'] },
      targets: [
        {
          id: 'OrderProcessing',
          arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderProcessing',
          inputTransformer: { inputPathsMap: { detail: '$.detail' }, inputTemplate: '{"order": <detail>}' },
        },
      ],
    },
    // Seed 003's rule: each order update reaches the onOrderUpdated subscribers (the tracker).
    UpdateOrder: {
      eventPattern: { source: ['order.processing'], 'detail-type': ['order.updated'] },
      targets: [
        {
          id: 'OrderUpdated',
          appSyncParameters: {
            graphQlOperation: `mutation NotifyOrderUpdated($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }`,
          },
          inputTransformer: {
            inputPathsMap: { id: '$.detail.order.id', status: '$.detail.order.status', updatedAt: '$.detail.order.updatedAt' },
            inputTemplate: '{"input": {"id": <id>, "status": <status>, "updatedAt": <updatedAt>}}',
          },
        },
      ],
    },
    // The seed's rule: only OUT_FOR_DELIVERY updates become push notifications.
    OutForDelivery: {
      eventPattern: {
        source: ['order.processing'],
        detailType: ['order.updated'],
        detail: { order: { status: ['OUT_FOR_DELIVERY'] } },
      },
      targets: [
        {
          id: 'PushOutForDelivery',
          arn: 'arn:switchboard:push:::notification/out-for-delivery',
          inputTransformer: {
            inputPathsMap: { orderId: '$.detail.order.id', status: '$.detail.order.status' },
            inputTemplate: '{"orderId": <orderId>, "body": "Order <orderId> has left the restaurant.", "url": "/push/?order=<orderId>", "data": {"status": <status>}}',
          },
        },
      ],
    },
  },
});
