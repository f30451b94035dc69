/**
 * Seed 003 ("Building an Event-Driven Application with AWS AppSync, EventBridge, and Step
 * Functions"): the food-ordering service. The CDK declarations of the seed, moved into defineApp.
 * The seed's `UpdateOrder` rule is below as written in its CfnRule; `OrderHandlerRule` (which
 * starts the order state machine) and the state machine itself come with the workflow issue.
 */
import { defineApp } from 'switchboard';

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
  },
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
  rules: {
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
