/**
 * Parallel: every branch starts with the same input (after InputPath/Parameters or Arguments);
 * the result is the array of branch outputs in branch order. When a branch fails, the others are
 * cancelled and the state fails with *the branch's* error (recorded `test_parallel_state_fail`:
 * `FailureType`, not `States.BranchFailed`), which the state's Retry/Catch then see.
 */
import { effectiveInput, stateOutput } from '../data-flow.ts';
import type { Frame, FrameStatus, Phase } from '../execution-state.ts';
import type { Json } from '../json.ts';
import { childGraphId } from '../machine.ts';
import type { StateCall } from '../run.ts';
import { abortFrame } from '../abort.ts';
import { ChildFailure } from '../state-errors.ts';

export async function executeParallel(call: StateCall): Promise<void> {
  const { run, def, graph, frame, act } = call;
  const input = await effectiveInput(call);
  run.event(frame, 'ParallelStateStarted');
  const branches: Frame[] = (def.Branches ?? []).map((branch, i) => {
    const child: Frame = { id: `${frame.id}/${act.state}#${i}`, graph: childGraphId(graph, act.state, i), variables: {}, status: 'running', lastEventId: frame.lastEventId };
    run.enter(child, branch.StartAt, input);
    return child;
  });
  act.phase = { kind: 'parallel', branches };
}

export async function driveParallel(call: StateCall, phase: Extract<Phase, { kind: 'parallel' }>): Promise<boolean> {
  const { run, chain, frame } = call;
  const before = run.state.nextEventId;
  for (const branch of phase.branches) {
    if (branch.status !== 'running') continue;
    await run.drive(branch, [...chain, branch]);
    // drive() changes the status; re-read it through a wider type than the narrowing above.
    if ((branch.status as FrameStatus) === 'failed') {
      for (const other of phase.branches) abortFrame(run, other);
      const error = branch.error ?? { error: null };
      run.event(frame, 'ParallelStateFailed', { error: error.error, ...(error.cause === undefined ? {} : { cause: error.cause }) });
      throw new ChildFailure(error.error, error.cause);
    }
  }
  if (phase.branches.every((b) => b.status === 'succeeded')) {
    const results: Json[] = phase.branches.map((b) => b.output ?? null);
    const { output, assigned } = await stateOutput(call, results, true);
    run.exit(call, output, assigned);
    return true;
  }
  return run.state.nextEventId !== before;
}
