/** The workflow engine (Standard executions durable over the `WorkflowStore`, Express ones in memory), and the task integrations. */
export {
  createWorkflowEngine,
  executionArn,
  expressExecutionArn,
  isExpressExecutionArn,
  stateMachineArn,
  type HistoryQuery,
  type StartRequest,
  type StartResult,
  type TaskClaimSource,
  type TimerClaimSource,
  type WorkflowEngine,
  type WorkflowEngineDeps,
  type WorkflowScope,
} from './engine.ts';
export { integrationFor, parseResource, type IntegrationPorts, type Integration, type ResourceMode } from './integrations.ts';
export { toCommit, type TaskInvocationRecord } from './step-commit.ts';
export type { TaskOutcome } from './task-runner.ts';
export { deleteClosedExecutions, DEFAULT_EXECUTION_RETENTION_MS } from './execution-retention.ts';
