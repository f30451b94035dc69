// createFlight: writes the flight's latest status into the view-model table (DynamoDB PutItem);
// the result is what onCreateFlight subscribers receive.
import { util } from '@aws-appsync/utils';
import { put } from '@aws-appsync/utils/dynamodb';
export function request(ctx) {
  const { id, ...rest } = ctx.args.input;
  return put({ key: { id }, item: { ...rest, updatedAt: util.time.nowISO8601() } });
}
export function response(ctx) {
  if (ctx.error) util.error(ctx.error.message, ctx.error.type);
  return ctx.result;
}
