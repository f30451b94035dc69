/**
 * The history event types named after a state's type (`<Type>StateEntered`, `...Exited`,
 * `...Failed`), made once. A type built by a template per event is a new string each time, which
 * the durable engine's history encoder then flattens and hashes to find its number.
 */
const STATE_EVENT_TYPES = new Map(
  ['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'].map((type) => [type, { entered: `${type}StateEntered`, exited: `${type}StateExited`, failed: `${type}StateFailed` }] as const),
);

export function stateEventTypes(type: string): { readonly entered: string; readonly exited: string; readonly failed: string } {
  return STATE_EVENT_TYPES.get(type) ?? { entered: `${type}StateEntered`, exited: `${type}StateExited`, failed: `${type}StateFailed` };
}
