/**
 * The private copy of an execution state that `step` works on, made copy-on-write: the control
 * structure (the state record, its frames, activities and phases, and the few arrays and records
 * in them that a step writes into) is copied; the JSON payloads (inputs, outputs, results,
 * variable values, the execution input) are shared with the previous state.
 *
 * Sharing them is safe because the interpreter never writes into a JSON value once it exists:
 * paths and intrinsics only read; payload templates, JSONata results (`toJson`), ResultPath
 * (`setAtReferencePath` copies the objects along the path) and variable assignments (a new
 * variables object per assignment, see `Run.exit`) build new values. What a step writes is only
 * the copied structure below, so the state it was given is left as it was.
 */
import type { Activity, ExecutionState, Frame, Phase } from './execution-state.ts';

export function copyState(state: ExecutionState): ExecutionState {
  return { ...state, root: copyFrame(state.root) };
}

function copyFrame(frame: Frame): Frame {
  const current = frame.current;
  return current === undefined ? { ...frame } : { ...frame, current: copyActivity(current) };
}

function copyActivity(act: Activity): Activity {
  return { ...act, retryAttempts: act.retryAttempts.length === 0 ? [] : [...act.retryAttempts], phase: copyPhase(act.phase) };
}

function copyPhase(phase: Phase): Phase {
  switch (phase.kind) {
    case 'ready':
    case 'waited':
    case 'wait':
    case 'backoff':
    case 'resume':
      // Never written into: a step replaces them whole.
      return phase;
    case 'task':
      // Its heartbeat timer id is rewritten by a heartbeat.
      return { ...phase };
    case 'parallel':
      return { ...phase, branches: phase.branches.map(copyFrame) };
    case 'map': {
      const running: Record<string, Frame> = {};
      for (const key of Object.keys(phase.running)) running[key] = copyFrame(phase.running[key] as Frame);
      return { ...phase, running, results: phase.results.slice() };
    }
  }
}
