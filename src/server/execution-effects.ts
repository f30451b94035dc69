/**
 * What happens after a query or mutation executed, whatever transport carried it: metrics, the
 * invalidations resolvers asked for, and publishing mutation results to subscribers (after the
 * response is on its way, as on AppSync).
 */
import type { Logger } from '../core/index.ts';
import type { ExecutionOutcome } from '../graphql/index.ts';
import type { RealtimeService } from '../realtime/index.ts';
import type { MetricsRegistry } from './metrics.ts';

export function createExecutionEffects(deps: { readonly realtime: RealtimeService; readonly metrics: MetricsRegistry; readonly logger: Logger }): (outcome: ExecutionOutcome) => void {
  const operations = deps.metrics.counter('switchboard_graphql_operations_total', 'GraphQL operations executed, by type.');
  const errors = deps.metrics.counter('switchboard_graphql_errors_total', 'GraphQL responses carrying errors[].');
  return (outcome) => {
    operations.inc({ operation: outcome.operation ?? 'invalid' });
    if (outcome.body.errors !== undefined) errors.inc();
    for (const effect of outcome.effects) {
      if (effect.kind === 'invalidateSubscriptions') deps.realtime.invalidate(effect.subscriptionField, effect.payload);
    }
    if (outcome.mutationResults !== undefined && outcome.mutationResults.length > 0) {
      deps.realtime.publishMutationResults(outcome.mutationResults).catch((error: unknown) => deps.logger.log('error', 'publish failed', { error }));
    }
  };
}
