/** Helpers for the interpreter's unit tests: fixed ids and randomness, a virtual clock. */
import { VirtualClock } from '../../src/core/index.ts';
import { runToCompletion, type InterpreterEnv, type Json, type RunOptions, type RunOutcome } from '../../src/workflows/index.ts';

export const START = Date.parse('2026-01-01T00:00:00.000Z');

export function fixedEnv(now = START): InterpreterEnv {
  let n = 0;
  return { now: () => now, random: () => 0.5, uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}` };
}

/** Runs a definition to its end on a fresh virtual clock. */
export async function run(definition: unknown, input: Json = {}, options: RunOptions = {}): Promise<RunOutcome> {
  let n = 0;
  return runToCompletion(definition, input, {
    clock: new VirtualClock(START),
    random: () => 0.5,
    uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    ...options,
  });
}

/** A one-state machine around `state` (named `S`). */
export function single(state: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { StartAt: 'S', States: { S: { End: true, ...state } }, ...extra };
}

/** The output of a successful run; fails the test with the error otherwise. */
export async function output(definition: unknown, input: Json = {}, options: RunOptions = {}): Promise<Json | undefined> {
  const outcome = await run(definition, input, options);
  if (outcome.status !== 'SUCCEEDED') throw new Error(`expected success, got ${outcome.status} ${String(outcome.error)}: ${outcome.cause ?? ''}`);
  return outcome.output;
}
