/**
 * Seed 003 ("Building an Event-Driven Application with AWS AppSync, EventBridge, and Step
 * Functions"): the food-ordering service. The CDK declarations of the seed, moved into defineApp.
 * The seed's `OrderHandlerRule` (order.created starts the order state machine with
 * `{order: <detail>}`) and `UpdateOrder` (order.updated calls notifyOrderUpdated, whose subscribers
 * see the order move) are below as written in its CDK code; the state machine is
 * `workflows/OrderProcessing.asl.json`. Its waits stand in for the restaurant and the courier:
 * SB_ORDER_WAIT_SECONDS shortens them (default 10 s each).
 */
import { defineApp } from 'switchboard';

const waitSeconds = Number(process.env['SB_ORDER_WAIT_SECONDS'] ?? 10);

export default defineApp({
  name: 'food-ordering',
  api: {
    name: 'food-ordering-api',
    schema: 'schema.graphql',
    auth: {
      // API_KEY for users placing orders, IAM for the back end calling notifyOrderUpdated (seed 003).
      defaultMode: 'API_KEY',
      additionalModes: ['AWS_IAM'],
    },
    // Seed 003's pass-through mutation is for the back end only: callers signing with the config's
    // access keys (and the UpdateOrder rule) see it; API-key clients see a schema without it.
    backendOnly: ['Mutation.notifyOrderUpdated'],
  },
  // The order tracker page at / (public/index.html), using /sdk/switchboard.js.
  site: 'public',
  tables: {
    orders: { partitionKey: 'id' },
  },
  dataSources: {
    orders: { type: 'TABLE', table: 'orders' },
    eventBus: { type: 'EVENT_BUS', bus: 'default' },
    none: { type: 'NONE' },
  },
  functions: {
    createOrder: { dataSource: 'orders', code: 'resolvers/createOrder.js' },
    putEvent: { dataSource: 'eventBus', code: 'resolvers/putEvent.js' },
  },
  resolvers: {
    'Mutation.createOrder': { pipeline: ['createOrder', 'putEvent'] },
    'Mutation.notifyOrderUpdated': { dataSource: 'none', code: 'resolvers/notifyOrderUpdated.js' },
  },
  workflows: {
    OrderProcessing: {
      definition: 'workflows/OrderProcessing.asl.json',
      // CloudFormation's DefinitionSubstitutions: `${Name}` in the definition text.
      definitionSubstitutions: { RestaurantSeconds: waitSeconds, PreparationSeconds: waitSeconds, DeliverySeconds: waitSeconds },
    },
  },
  rules: {
    OrderHandlerRule: {
      // Subscribes to order.created events, coming from the API.
      eventPattern: {
        source: ['order.api'],
        detailType: ['order.created'],
      },
      targets: [
        {
          id: 'OrderProcessing',
          arn: 'arn:aws:states:us-east-1:000000000000:stateMachine:OrderProcessing',
          // CDK's RuleTargetInput.fromObject({ order: EventField.fromPath('$.detail') }).
          inputTransformer: {
            inputPathsMap: { detail: '$.detail' },
            inputTemplate: '{"order": <detail>}',
          },
        },
      ],
    },
    UpdateOrder: {
      eventPattern: {
        source: ['order.processing'],
        'detail-type': ['order.updated'],
      },
      targets: [
        {
          id: 'OrderUpdated',
          appSyncParameters: {
            graphQlOperation: `mutation NotifyOrderUpdated($input: NotifyOrderUpdatedInput!) { notifyOrderUpdated(input: $input) { id status updatedAt } }`,
          },
          inputTransformer: {
            inputPathsMap: {
              id: '$.detail.order.id',
              status: '$.detail.order.status',
              updatedAt: '$.detail.order.updatedAt',
            },
            inputTemplate: JSON.stringify({
              input: {
                id: '<id>',
                status: '<status>',
                updatedAt: '<updatedAt>',
              },
            }),
          },
        },
      ],
    },
  },
});
