/**
 * Workflows (Step Functions): the pure ASL interpreter (`asl/`), the durable engine over the
 * `WorkflowStore` with its task integrations (`engine/`), and the Step Functions API (`api/`).
 */
export * from './asl/index.ts';
export * from './engine/index.ts';
export * from './api/index.ts';
