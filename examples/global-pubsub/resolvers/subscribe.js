// Seed 004's subscription resolver: only five channels exist (an enhanced filter the client cannot
// change), and `unsubscribe(name)` invalidates the subscriptions to that channel.
import { util, extensions } from '@aws-appsync/utils';
export const request = () => ({ payload: null });
export function response(ctx) {
  extensions.setSubscriptionFilter(util.transform.toSubscriptionFilter({ name: { in: ['general', 'tech', 'sports', 'news', 'random'] } }));
  extensions.setSubscriptionInvalidationFilter({ filterGroup: [{ filters: [{ fieldName: 'name', operator: 'eq', value: ctx.args.name }] }] });
  return null;
}
