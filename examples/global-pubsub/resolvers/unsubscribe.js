import { extensions } from '@aws-appsync/utils';
export const request = (ctx) => ({ payload: { name: ctx.args.name } });
export function response(ctx) {
  extensions.invalidateSubscriptions({ subscriptionField: 'subscribe', payload: { name: ctx.args.name } });
  return ctx.result;
}
