/**
 * Seed 000, pattern #2 ("AWS AppSync + Amazon EventBridge"): flight status events arrive on the
 * `flights` bus; a rule with an input transformer calls the `createFlight` mutation as an IAM
 * principal; the resolver writes the view model (the `flights` table); `onCreateFlight`
 * subscribers see each change. The page gets guest credentials (the Cognito identity pool's
 * unauthenticated role in the seed: here `POST /auth/guest-credentials`), allowed to read and
 * subscribe, not to write.
 */
import { defineApp } from 'switchboard';

export default defineApp({
  name: 'flight-status',
  // The flight board at / (public/index.html): a guest page.
  site: 'public',
  api: {
    name: 'flight-status-api',
    schema: 'schema.graphql',
    auth: {
      defaultMode: 'AWS_IAM',
      guest: { allow: ['Query.getFlight', 'Query.listFlights', 'Subscription.onCreateFlight'] },
    },
  },
  tables: {
    flights: { partitionKey: 'id' },
  },
  dataSources: {
    flights: { type: 'TABLE', table: 'flights' },
  },
  resolvers: {
    'Mutation.createFlight': { dataSource: 'flights', code: 'resolvers/createFlight.js' },
    'Query.getFlight': { dataSource: 'flights', code: 'resolvers/getFlight.js' },
    'Query.listFlights': { dataSource: 'flights', code: 'resolvers/listFlights.js' },
  },
  buses: {
    flights: { description: 'flight status events from the operations systems' },
  },
  rules: {
    FlightStatusToGraphQL: {
      eventBusName: 'flights',
      eventPattern: {
        source: ['flight.operations'],
        detailType: ['Flight Status Changed'],
      },
      targets: [
        {
          id: 'createFlight',
          appSyncParameters: {
            graphQlOperation:
              'mutation CreateFlight($input: CreateFlightInput!) { createFlight(input: $input) { id airline flightNumber origin destination status gate scheduledDeparture updatedAt } }',
          },
          inputTransformer: {
            inputPathsMap: {
              id: '$.detail.id',
              airline: '$.detail.airline',
              flightNumber: '$.detail.flightNumber',
              origin: '$.detail.origin',
              destination: '$.detail.destination',
              status: '$.detail.status',
              gate: '$.detail.gate',
              scheduledDeparture: '$.detail.scheduledDeparture',
            },
            inputTemplate:
              '{"input": {"id": <id>, "airline": <airline>, "flightNumber": <flightNumber>, "origin": <origin>, "destination": <destination>, "status": <status>, "gate": <gate>, "scheduledDeparture": <scheduledDeparture>}}',
          },
        },
      ],
    },
  },
});
