/** The durable workflow engine over the `WorkflowStore`, and the task integrations. */
export { createWorkflowEngine, stateMachineArn, executionArn, type WorkflowEngine, type WorkflowEngineDeps, type WorkflowScope, type StartRequest } from './engine.ts';
export { integrationFor, parseResource, type IntegrationPorts, type Integration, type ResourceMode } from './integrations.ts';
export { toCommit, type TaskInvocationRecord } from './step-commit.ts';
