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
 * the copied structure below, so the state it was given is left as it was. The copies are made
 * with `copyOf`, not spreads: the step adds properties to them (`core/objects.ts` says why).
 */
import { copyOf, merged } from '../../core/index.ts';
import type { Activity, ExecutionState, Frame, Phase } from './execution-state.ts';

export function copyState(state: ExecutionState): ExecutionState {
  const copy = copyOf(state);
  copy.root = copyFrame(state.root);
  return copy;
}

function copyFrame(frame: Frame): Frame {
  const copy = copyOf(frame);
  const current = frame.current;
  if (current !== undefined) copy.current = copyActivity(current);
  return copy;
}

function copyActivity(act: Activity): Activity {
  const copy = copyOf(act);
  copy.retryAttempts = act.retryAttempts.length === 0 ? [] : [...act.retryAttempts];
  copy.phase = copyPhase(act.phase);
  return copy;
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
      return copyOf(phase);
    case 'parallel':
      return merged(phase, { branches: phase.branches.map(copyFrame) });
    case 'map': {
      const running: Record<string, Frame> = {};
      for (const key of Object.keys(phase.running)) running[key] = copyFrame(phase.running[key] as Frame);
      return merged(phase, { running, results: phase.results.slice() });
    }
  }
}
