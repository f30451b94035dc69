/**
 * Seed 004 ("Global Serverless WebSockets PubSub API"): one channel API per region; a message
 * published in one region reaches the subscribers of its channel in every region. Run the same
 * folder twice, once per region, each linked to the other:
 *
 *   switchboard dev examples/global-pubsub --region a     # us-west-2 on :4000
 *   switchboard dev examples/global-pubsub --region b     # ap-southeast-2 on :4001
 *
 * `--region <name>` picks an entry of `regions` below (the command sets SWITCHBOARD_REGION while
 * this file is read, and listens on the entry's port); the other entry is the peer this region
 * links to. SB_GLOBAL_PUBSUB_PORT_A / _B move the ports; SB_REGION, SB_PEER_REGION and SB_PEER_URL
 * override the pairing entirely (any two regions, any URLs). Without either, one unlinked region.
 *
 * Where the seed has AppSync call EventBridge and EventBridge forward to the other region's bus and
 * call the other region's AppSync, here: `publish` puts the message on this region's `pubsub` bus;
 * rule `ToPeerRegion` sends it to the peer region's bus over the link (origin stamp and hop limit,
 * so it never comes back); on arrival rule `FromPeerRegion` calls `publishFromBus` (IAM), whose
 * subscribers are the channel's subscribers. As in the seed, only five channels exist (an enhanced
 * filter) and the IAM-only `unsubscribe(name)` closes a channel's subscriptions (invalidation).
 *
 * Both regions share one access key (SB_LINK_ACCESS_KEY_ID / SB_LINK_SECRET_ACCESS_KEY, dev values
 * below by default): the link signs with it and the peer accepts it. Change it for real use.
 */
import { defineApp } from 'switchboard';

const env = process.env;
const regions = {
  a: { region: 'us-west-2', port: Number(env['SB_GLOBAL_PUBSUB_PORT_A'] ?? 4000) },
  b: { region: 'ap-southeast-2', port: Number(env['SB_GLOBAL_PUBSUB_PORT_B'] ?? 4001) },
};
// An unknown name falls back to `a` here; `switchboard --region` then reports the names declared.
const selected = env['SWITCHBOARD_REGION'] === 'b' ? 'b' : 'a';
const peer = selected === 'a' ? regions.b : regions.a;
const region = env['SB_REGION'] ?? regions[selected].region;
const peerRegion = env['SB_PEER_REGION'] ?? peer.region;
const peerUrl = env['SB_PEER_URL'] ?? (env['SWITCHBOARD_REGION'] !== undefined ? `http://127.0.0.1:${peer.port}` : undefined);
const linkKey = {
  accessKeyId: env['SB_LINK_ACCESS_KEY_ID'] ?? 'AKIAGLOBALPUBSUBDEV01',
  secretAccessKey: env['SB_LINK_SECRET_ACCESS_KEY'] ?? 'global-pubsub-dev-secret-change-me',
};
const apiKey = env['SB_API_KEY'] ?? 'da2-globalpubsubdevkey0000000000';

export default defineApp({
  name: 'global-pubsub',
  region,
  regions,
  // The channel chat at / (public/index.html), with a region selector.
  site: 'public',
  api: {
    name: `GlobalWS-API-${region}`,
    schema: 'schema.graphql',
    auth: {
      defaultMode: 'API_KEY',
      additionalModes: ['AWS_IAM'],
      apiKeys: [{ key: apiKey }],
      accessKeys: [linkKey],
    },
  },
  dataSources: {
    none: { type: 'NONE' },
    pubsubBus: { type: 'EVENT_BUS', bus: 'pubsub' },
  },
  functions: {
    channel: { dataSource: 'none', code: 'resolvers/channel.js' },
    putMessage: { dataSource: 'pubsubBus', code: 'resolvers/putMessage.js' },
  },
  resolvers: {
    'Mutation.publish': { pipeline: ['channel', 'putMessage'] },
    'Mutation.publishFromBus': { dataSource: 'none', code: 'resolvers/channel.js' },
    'Mutation.unsubscribe': { dataSource: 'none', code: 'resolvers/unsubscribe.js' },
    'Subscription.subscribe': { dataSource: 'none', code: 'resolvers/subscribe.js' },
  },
  buses: {
    pubsub: { description: 'channel messages of this region, and those forwarded from the peer region' },
  },
  ...(peerUrl !== undefined ? { links: { [peerRegion]: { endpoint: peerUrl, ...linkKey } } } : {}),
  rules: {
    ToPeerRegion: {
      eventBusName: 'pubsub',
      eventPattern: { source: ['global.pubsub'] },
      targets: [{ id: 'peerBus', arn: `arn:aws:events:${peerRegion}:000000000000:event-bus/pubsub` }],
    },
    FromPeerRegion: {
      eventBusName: 'pubsub',
      // A forwarded event keeps the region it was put in.
      eventPattern: { source: ['global.pubsub'], region: [{ 'anything-but': region }] },
      targets: [
        {
          id: 'localApi',
          appSyncParameters: {
            graphQlOperation: 'mutation PublishFromBus($name: String!, $data: AWSJSON) { publishFromBus(name: $name, data: $data) { name data } }',
          },
          inputTransformer: {
            inputPathsMap: { name: '$.detail.name', data: '$.detail.data' },
            inputTemplate: '{"name": <name>, "data": <data>}',
          },
        },
      ],
    },
  },
});
