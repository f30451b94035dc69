/**
 * The realtime service: subscribe (validate, run the subscription resolver, register), publish
 * (a mutation's results, or a payload straight to a subscription field), and invalidate.
 * Protocol state machines (`appsync-protocol.ts`, `transport-ws-protocol.ts`) call it; it knows
 * nothing about sockets.
 */
import type { Logger } from '../core/index.ts';
import type { GraphqlRequest, GraphqlService, RequestMeta, WireError } from '../graphql/index.ts';
import { compileArgumentFilter, compileSubscriptionFilter, compileInvalidationFilter, filterKey as filterKeyOf, validateSubscriptionFilter } from './filters/index.ts';
import { SubscriptionRegistry, type Subscriber } from './registry.ts';

export interface SubscribeSink {
  deliver(payloadJson: string): void;
  invalidated(): void;
}

export type RealtimeSubscribeOutcome = { readonly ok: true; stop(): void } | { readonly ok: false; readonly errors: readonly WireError[] };

export interface RealtimeService {
  subscribe(request: GraphqlRequest, meta: RequestMeta, sink: SubscribeSink): Promise<RealtimeSubscribeOutcome>;
  /** Publishes each mutation field's result to the subscription fields it triggers. */
  publishMutationResults(results: readonly { readonly fieldName: string; readonly value: unknown }[]): Promise<void>;
  /** Publishes a payload to one subscription field (rules, workflows, the admin API). */
  publish(subscriptionField: string, payload: unknown): Promise<number>;
  /** Ends every subscription of `subscriptionField` whose invalidation filter matches `payload`. */
  invalidate(subscriptionField: string, payload: unknown): number;
  readonly size: number;
  /** Work counters: projections executed (once per matching group per event) and frames delivered. */
  readonly stats: { readonly executions: number; readonly deliveries: number };
}

export interface RealtimeOptions {
  /** The current app's GraphQL service (swapped on `dev` reload). */
  readonly graphql: () => GraphqlService;
  readonly logger: Logger;
}

export function createRealtimeService(options: RealtimeOptions): RealtimeService {
  const registry = new SubscriptionRegistry();
  const { logger } = options;
  const stats = { executions: 0, deliveries: 0 };

  async function publish(fieldName: string, payload: unknown): Promise<number> {
    let delivered = 0;
    for (const group of registry.groupsOf(fieldName)) {
      if (!group.matches(payload)) continue;
      let json: string;
      try {
        stats.executions++;
        json = JSON.stringify(await group.project(payload));
      } catch (error) {
        logger.log('error', 'subscription projection failed', { fieldName, error });
        continue;
      }
      for (const subscriber of registry.subscribersOfGroup(group)) {
        subscriber.deliver(json);
        delivered++;
      }
    }
    stats.deliveries += delivered;
    return delivered;
  }

  return {
    stats,
    get size() {
      return registry.size;
    },
    async subscribe(request, meta, sink) {
      const outcome = await options.graphql().subscribe(request, meta);
      if (!outcome.ok) return outcome;
      const sub = outcome.subscription;
      let matches: (payload: unknown) => boolean;
      let filterKey = 'args';
      let invalidatedBy: ((payload: unknown) => boolean) | undefined;
      const filterEffect = [...sub.effects].reverse().find((e) => e.kind === 'setSubscriptionFilter');
      if (filterEffect !== undefined && filterEffect.kind === 'setSubscriptionFilter') {
        const checked = validateSubscriptionFilter(filterEffect.filter);
        if (!checked.ok) return { ok: false, errors: [{ errorType: 'InvalidFilterError', message: checked.message }] };
        matches = compileSubscriptionFilter(checked.filter);
        filterKey = filterKeyOf(checked.filter);
      } else {
        matches = compileArgumentFilter(sub.args, sub.explicitNull);
      }
      const invalidation = [...sub.effects].reverse().find((e) => e.kind === 'setSubscriptionInvalidationFilter');
      if (invalidation !== undefined && invalidation.kind === 'setSubscriptionInvalidationFilter') {
        const checked = validateSubscriptionFilter(invalidation.filter);
        if (!checked.ok) return { ok: false, errors: [{ errorType: 'InvalidFilterError', message: checked.message }] };
        invalidatedBy = compileInvalidationFilter(checked.filter);
      }
      const subscriber: Subscriber = { deliver: (json) => sink.deliver(json), invalidated: () => sink.invalidated(), ...(invalidatedBy ? { invalidatedBy } : {}) };
      const remove = registry.add({ fieldName: sub.fieldName, key: `${sub.shapeKey}\u0000${filterKey}`, matches, project: (p) => sub.project(p) }, subscriber);
      return { ok: true, stop: remove };
    },
    async publishMutationResults(results) {
      const triggers = options.graphql().triggers;
      for (const { fieldName, value } of results) {
        for (const subField of triggers.get(fieldName) ?? []) await publish(subField, value);
      }
    },
    publish,
    invalidate(subscriptionField, payload) {
      let n = 0;
      for (const subscriber of registry.subscribersOf(subscriptionField)) {
        if (subscriber.invalidatedBy?.(payload) === true) {
          subscriber.invalidated();
          n++;
        }
      }
      return n;
    },
  };
}
