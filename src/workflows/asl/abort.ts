/**
 * Cancelling a subtree: a failed branch's siblings, a failed Map's running iterations, a stopped or
 * timed-out execution. Every task and timer still pending under the frame gets a cancel effect.
 */
import type { Frame, Phase } from './execution-state.ts';
import type { Run } from './run.ts';

export function abortFrame(run: Run, frame: Frame): void {
  if (frame.status !== 'running') return;
  const current = frame.current;
  if (current !== undefined) cancelPhase(run, current.phase);
  // Deleted before properties are added: the property added last goes without slowing the object.
  delete frame.current;
  frame.status = 'aborted';
  if (current !== undefined) frame.stoppedAt = { state: current.state, input: current.input };
}

function cancelPhase(run: Run, phase: Phase): void {
  switch (phase.kind) {
    case 'task':
      run.effect({ type: 'cancelTask', taskId: phase.taskId });
      if (phase.timeoutTimerId !== undefined) run.effect({ type: 'cancelTimer', timerId: phase.timeoutTimerId });
      if (phase.heartbeatTimerId !== undefined) run.effect({ type: 'cancelTimer', timerId: phase.heartbeatTimerId });
      return;
    case 'wait':
    case 'backoff':
      run.effect({ type: 'cancelTimer', timerId: phase.timerId });
      return;
    case 'parallel':
      for (const branch of phase.branches) abortFrame(run, branch);
      return;
    case 'map':
      for (const child of Object.values(phase.running)) abortFrame(run, child);
      return;
    default:
      return;
  }
}
