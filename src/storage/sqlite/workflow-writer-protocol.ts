/**
 * The messages between the workflow store (`workflow-writer.ts`, on the event loop) and its writer
 * thread (`workflow-writer-thread.ts`). Jobs are answered in the order they were sent: each
 * `done` message answers the oldest jobs still waiting, one outcome each.
 */
import type { StepCommit, StoredExecution, StoredStateMachine } from '../workflow-store.ts';

export type WriterJob =
  | readonly ['createStateMachine', StoredStateMachine]
  | readonly ['updateStateMachine', string, { readonly definition?: string; readonly roleArn?: string }, number]
  | readonly ['deleteStateMachine', string]
  | readonly ['createExecution', StoredExecution, StepCommit]
  | readonly ['commitStep', StepCommit]
  | readonly ['deleteClosedExecutions', number, number];

/** A thrown error as it crosses the thread boundary. */
export interface WireError {
  readonly name: string;
  readonly message: string;
  readonly code?: string;
}

export type WireOutcome = readonly [ok: 1, value: unknown] | readonly [ok: 0, error: WireError];

export type ToWriter = { readonly type: 'jobs'; readonly jobs: readonly WriterJob[] } | { readonly type: 'close' };
export type FromWriter = { readonly type: 'done'; readonly outcomes: readonly WireOutcome[] } | { readonly type: 'closed' };

export interface WriterData {
  readonly path: string;
  readonly fsync: boolean;
}

export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error) };
  const code = (error as { code?: unknown }).code;
  return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
}

export function fromWireError(wire: WireError): Error {
  const error = new Error(wire.message);
  error.name = wire.name;
  if (wire.code !== undefined) Object.assign(error, { code: wire.code });
  return error;
}
