// publish, second step: the message onto this region's `pubsub` bus, for the other regions.
// `data` is AWSJSON: resolvers see it parsed, and a GraphQL variable must carry it as JSON text,
// so the event keeps it as text for the other region's `publishFromBus(data: <data>)`.
import { util } from '@aws-appsync/utils';
export function request(ctx) {
  const data = ctx.args.data === undefined || ctx.args.data === null ? null : JSON.stringify(ctx.args.data);
  return {
    operation: 'PutEvents',
    events: [{ source: 'global.pubsub', detailType: 'channel.message', detail: { name: ctx.args.name, data } }],
  };
}
export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.prev.result;
}
