/**
 * A target's input settings that PutTargets would refuse. `awsType` and `message` are what the
 * AWS JSON wire mapper sends (`{__type, message}`, HTTP 400); `code` is the Switchboard code the
 * config loader and logs use. (The code is not yet in `src/core/errors.ts`, which this folder
 * does not own; until it is, this class stands beside `SwitchboardError` rather than extending it.)
 */
export class TargetInputError extends Error {
  override readonly name = 'TargetInputError';
  readonly code = 'SB_BUS_TARGET_INPUT_INVALID';
  readonly awsType = 'ValidationException';
}

/** Where in a PutTargets request a target's members live, for constraint messages. */
export interface TargetLocation {
  /** The target's `Id`; AWS names it in its own messages. */
  readonly targetId?: string;
  /** 1-based position of the target in the PutTargets `Targets` list. */
  readonly targetIndex?: number;
}

/**
 * AWS's generic model-constraint message, e.g.
 * `1 validation error detected: Value at 'targets.1.member.inputPath' failed to satisfy constraint: Member must have length less than or equal to 256`.
 * AWS echoes the offending value as `Value '<v>' at ...`; we leave it out because it can be 8 KB.
 */
export function constraintError(where: TargetLocation, member: string, constraint: string): TargetInputError {
  const path = `targets.${where.targetIndex ?? 1}.member.${member}`;
  return new TargetInputError(`1 validation error detected: Value at '${path}' failed to satisfy constraint: ${constraint}`);
}

export const maxLength = (n: number): string => `Member must have length less than or equal to ${n}`;
export const minLength = (n: number): string => `Member must have length greater than or equal to ${n}`;

export function targetLabel(where: TargetLocation): string {
  return where.targetId ?? '<target-id>';
}
