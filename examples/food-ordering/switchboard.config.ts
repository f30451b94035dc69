/**
 * Seed 003 ("Building an Event-Driven Application with AWS AppSync, EventBridge, and Step
 * Functions"): the food-ordering service. The CDK declarations of the seed, moved into defineApp.
 * The bus rules and the order state machine are added by the event-bus and workflow issues.
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
});
