/** What every Step Functions operation gets. */
import type { Clock } from '../../core/index.ts';
import type { WorkflowStore } from '../../storage/index.ts';
import type { WorkflowEngine, WorkflowScope } from '../engine/index.ts';
import type { Input } from './members.ts';

export interface SfnContext {
  readonly store: WorkflowStore;
  readonly engine: WorkflowEngine;
  readonly clock: Clock;
  readonly scope: () => WorkflowScope;
}

export type SfnOperation = (input: Input, ctx: SfnContext) => Promise<object>;
