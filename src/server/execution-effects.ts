/**
 * What happens after a query or mutation executed, whatever transport carried it: metrics, the
 * invalidations resolvers asked for, and publishing mutation results to subscribers (after the
 * response is on its way, as on AppSync).
 */
import type { Logger } from '../core/index.ts';
import type { ExecutionOutcome } from '../graphql/index.ts';
import type { RealtimeService } from '../realtime/index.ts';
import type { MetricsRegistry } from './metrics.ts';

/**
 * Fire and forget for clients (their response is already on its way), or `awaited` for the
 * bus's AppSync targets: there a failed publish must fail the delivery, so it is retried and an
 * acknowledged event never silently misses its subscribers.
 */
export type ExecutionEffects = ((outcome: ExecutionOutcome) => void) & { awaited(outcome: ExecutionOutcome): Promise<void> };

export function createExecutionEffects(deps: { readonly realtime: RealtimeService; readonly metrics: MetricsRegistry; readonly logger: Logger }): ExecutionEffects {
  const operations = deps.metrics.counter('switchboard_graphql_operations_total', 'GraphQL operations executed, by type.');
  const errors = deps.metrics.counter('switchboard_graphql_errors_total', 'GraphQL responses carrying errors[].');
  /** Metrics and invalidations now; the publish to subscribers, when there is one, as a promise. */
  const apply = (outcome: ExecutionOutcome): Promise<void> | undefined => {
    operations.inc({ operation: outcome.operation ?? 'invalid' });
    if (outcome.body.errors !== undefined) errors.inc();
    for (const effect of outcome.effects) {
      if (effect.kind === 'invalidateSubscriptions') deps.realtime.invalidate(effect.subscriptionField, effect.payload);
    }
    if (outcome.mutationResults === undefined || outcome.mutationResults.length === 0) return undefined;
    return deps.realtime.publishMutationResults(outcome.mutationResults);
  };
  return Object.assign(
    (outcome: ExecutionOutcome): void => {
      apply(outcome)?.catch((error: unknown) => deps.logger.log('error', 'publish failed', { error }));
    },
    { awaited: async (outcome: ExecutionOutcome): Promise<void> => apply(outcome) },
  );
}
