/**
 * Rule evaluation and at-least-once delivery to targets: a durable cursor per bus, stored
 * delivery jobs, retries with backoff and jitter, dead letters.
 */
export { createDeliveryService, type DeliveryClaimSource, type DeliveryService, type DeliveryServiceDeps } from './delivery-service.ts';
export { createBusDispatcher, type BusDispatcher, type BusDispatcherDeps } from './bus-dispatcher.ts';
export { createJobRunner, type JobRunner, type JobRunnerDeps } from './job-runner.ts';
export { loadRuleSet, type RuleSet } from './rule-set.ts';
export { routeTarget, type TargetKinds } from './route-target.ts';
export { targetRef, publishTargetArn, pushTargetArn, type TargetRef } from './target-arn.ts';
export { createFunctionTarget, type FunctionRunner } from './function-target.ts';
export { createPublishTarget, type SubscriptionPublisher } from './publish-target.ts';
export { createBusTarget, type BusLink, type BusTargetDeps, type ForwardedEvent } from './bus-target.ts';
export { createHttpLink, type HttpLinkConfig } from './http-link.ts';
export { createHttpTarget, type ApiDestination, type HttpTargetDeps } from './http-target.ts';
export { readForwardMeta, writeForwardMeta, type ForwardMeta } from './forward-meta.ts';
export { createAppSyncTarget, isAppSyncTarget, EVENTBRIDGE_TARGET_AUTH, type GraphqlRunner } from './appsync-target.ts';
export { parseTargetConfig, type TargetConfig } from './target-config.ts';
export { retryPolicyOf, backoffDelay, nextRetry, DEFAULT_RETRY_POLICY, BACKOFF_BASE_MS, BACKOFF_CAP_MS, type RetryPolicy, type RetryDecision } from './retry-policy.ts';
export type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';
export { wakeOnAppend, type InlineDispatch } from './wake-on-append.ts';
export { createScheduleService, type ScheduleService, type ScheduleServiceDeps } from './schedule-service.ts';
export { scheduledEventRecord, scheduledEventId } from './scheduled-event.ts';
export { onRuleChange } from './on-rule-change.ts';
export { leaderDuty, type LeaderDuty } from './leader-duty.ts';
export { createReplayRunner, markReplayed, type ReplayRunner, type ReplayRunnerDeps } from './replay-runner.ts';
export { createWorkflowTarget, executionNameFor, type WorkflowStarter } from './workflow-target.ts';
export { createPushTarget, type PushNotifyAnswer, type PushTargetNotifier } from './push-target.ts';
