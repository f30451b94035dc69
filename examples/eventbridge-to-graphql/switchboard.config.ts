/**
 * Seed 002 ("Event-Driven Architectures: Real-time Data Across Decoupled Applications"): an
 * EventBridge rule on a custom bus calls an AppSync mutation, whose subscribers (Cognito users)
 * get the message over WebSockets. The CDK declarations of the seed, moved into defineApp; the rule
 * is written as in its CfnRule. Cognito is the server's dev issuer here (`switchboard token`).
 */
import { defineApp } from 'switchboard';

export default defineApp({
  name: 'eventbridge-to-graphql',
  api: {
    name: 'eventbridge-to-graphql',
    schema: 'schema.graphql',
    auth: {
      defaultMode: 'AMAZON_COGNITO_USER_POOLS',
      additionalModes: ['AWS_IAM'],
    },
  },
  dataSources: {
    none: { type: 'NONE' },
  },
  resolvers: {
    'Mutation.publishMsgFromEB': { dataSource: 'none', code: 'resolvers/publishMsgFromEB.js' },
  },
  buses: {
    'eb-appsync-bus': {},
  },
  rules: {
    mycfnRule: {
      eventBusName: 'eb-appsync-bus',
      eventPattern: {
        source: ['sample.source'],
      },
      targets: [
        {
          id: 'myAppsyncTarget',
          appSyncParameters: {
            graphQlOperation: 'mutation PublishMsgFromEB($msg: String!) { publishMsgFromEB(msg: $msg) }',
          },
          inputTransformer: {
            inputPathsMap: {
              msg: '$.detail.msg',
            },
            inputTemplate: JSON.stringify({
              msg: '<msg>',
            }),
          },
        },
      ],
    },
  },
});
