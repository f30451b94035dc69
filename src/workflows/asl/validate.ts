/**
 * `validateDefinition`: the checks `CreateStateMachine` and `ValidateStateMachineDefinition` make,
 * with AWS's diagnostic codes and, where they were observed, AWS's messages and locations:
 *
 * - `These fields are required: [States, StartAt]` at `/` (recorded, LocalStack
 *   `test_sfn_api_validation`), `Definition must be a valid JSON object`;
 * - `Missing 'Next' target: pass3 at /States/pass1/Next`, `State "pass2" is not reachable.`,
 *   `Workflow has no terminal state` (AWS messages quoted in LocalStack #11978 and floci #2735);
 * - `Field 'TimeoutSeconds' is not supported` at `/States/M`, `'QueryLanguage' can not be
 *   'JSONPath' if set to 'JSONata' for whole state machine`, `The QueryLanguage is set to
 *   'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage`.
 *
 * The per-state field rules live in `validate-state.ts`.
 */
import type { QueryLanguage } from './definition.ts';
import { isObject, type JsonObject } from './json.ts';
import { validateState, type StateScope } from './validate-state.ts';

export type DiagnosticCode =
  | 'SCHEMA_VALIDATION_FAILED'
  | 'INVALID_JSON_DESCRIPTION'
  | 'MISSING_TRANSITION_TARGET'
  | 'MISSING_END_STATE'
  | 'DUPLICATE_STATE_NAME';

export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly message: string;
  /** A JSON-pointer-like location (`/States/A/Next`), absent when AWS gives none. */
  readonly location?: string;
  readonly severity: 'ERROR';
}

export function diagnostic(code: DiagnosticCode, message: string, location?: string): Diagnostic {
  return location === undefined ? { code, message, severity: 'ERROR' } : { code, message, location, severity: 'ERROR' };
}

const TOP_LEVEL_FIELDS = new Set(['StartAt', 'States', 'Comment', 'Version', 'TimeoutSeconds', 'QueryLanguage']);
const SUB_MACHINE_FIELDS = new Set(['StartAt', 'States', 'Comment', 'ProcessorConfig']);

/** Returns every problem found; an empty list means the definition is valid. */
export function validateDefinition(source: unknown): Diagnostic[] {
  let definition = source;
  if (typeof source === 'string') {
    if (source.trim() === '') return [diagnostic('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object')];
    try {
      definition = JSON.parse(source);
    } catch (error) {
      return [diagnostic('INVALID_JSON_DESCRIPTION', (error as Error).message)];
    }
  }
  if (!isObject(definition)) return [diagnostic('SCHEMA_VALIDATION_FAILED', 'Definition must be a valid JSON object')];

  const out: Diagnostic[] = [];
  const missing = ['States', 'StartAt'].filter((f) => !(f in definition));
  if (missing.length > 0) return [diagnostic('SCHEMA_VALIDATION_FAILED', `These fields are required: [${missing.join(', ')}]`, '/')];
  for (const key of Object.keys(definition)) {
    if (!TOP_LEVEL_FIELDS.has(key)) out.push(diagnostic('SCHEMA_VALIDATION_FAILED', `Field '${key}' is not supported`, '/'));
  }
  const language = definition['QueryLanguage'];
  if (language !== undefined && language !== 'JSONPath' && language !== 'JSONata') {
    out.push(diagnostic('SCHEMA_VALIDATION_FAILED', `The value '${String(language)}' is not a valid QueryLanguage; use 'JSONPath' or 'JSONata'`, '/QueryLanguage'));
  }
  if (definition['Version'] !== undefined && definition['Version'] !== '1.0') {
    out.push(diagnostic('SCHEMA_VALIDATION_FAILED', "The value for the field 'Version' must be '1.0'", '/Version'));
  }
  const timeout = definition['TimeoutSeconds'];
  if (timeout !== undefined && !(Number.isInteger(timeout) && (timeout as number) > 0)) {
    out.push(diagnostic('SCHEMA_VALIDATION_FAILED', "The value for the field 'TimeoutSeconds' must be a positive integer", '/TimeoutSeconds'));
  }
  const machineLanguage: QueryLanguage = language === 'JSONata' ? 'JSONata' : 'JSONPath';
  const seenNames = new Map<string, string>();
  validateGraph(definition, '', machineLanguage, seenNames, out, true);
  return out;
}

/** Validates one `{StartAt, States}` graph, its states, transitions and reachability. */
export function validateGraph(
  graph: JsonObject,
  location: string,
  machineLanguage: QueryLanguage,
  seenNames: Map<string, string>,
  out: Diagnostic[],
  topLevel = false,
): void {
  if (!topLevel) {
    const missing = ['States', 'StartAt'].filter((f) => !(f in graph));
    if (missing.length > 0) {
      out.push(diagnostic('SCHEMA_VALIDATION_FAILED', `These fields are required: [${missing.join(', ')}]`, location || '/'));
      return;
    }
    for (const key of Object.keys(graph)) {
      if (!SUB_MACHINE_FIELDS.has(key)) out.push(diagnostic('SCHEMA_VALIDATION_FAILED', `Field '${key}' is not supported`, location));
    }
  }
  const startAt = graph['StartAt'];
  const states = graph['States'];
  if (typeof startAt !== 'string') {
    out.push(diagnostic('SCHEMA_VALIDATION_FAILED', "The value for the field 'StartAt' must be a STRING", `${location}/StartAt`));
    return;
  }
  if (!isObject(states) || Object.keys(states).length === 0) {
    out.push(diagnostic('SCHEMA_VALIDATION_FAILED', "The field 'States' must be a non-empty object", `${location}/States`));
    return;
  }
  const transitions = new Map<string, string[]>();
  const scope: StateScope = {
    machineLanguage,
    out,
    target: (from, target, at) => {
      const list = transitions.get(from) ?? [];
      list.push(target);
      transitions.set(from, list);
      if (!Object.hasOwn(states, target)) out.push(diagnostic('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${target}`, at));
    },
    subGraph: (sub, at) => validateGraph(sub, at, machineLanguage, seenNames, out),
  };
  if (!Object.hasOwn(states, startAt)) out.push(diagnostic('MISSING_TRANSITION_TARGET', `Missing 'Next' target: ${startAt}`, `${location}/StartAt`));

  let hasTerminal = false;
  for (const [name, state] of Object.entries(states)) {
    const at = `${location}/States/${name}`;
    const previous = seenNames.get(name);
    if (previous !== undefined) out.push(diagnostic('DUPLICATE_STATE_NAME', `Duplicate State name: ${name}`, at));
    seenNames.set(name, at);
    if ([...name].length > 80) out.push(diagnostic('SCHEMA_VALIDATION_FAILED', 'State names must be at most 80 characters long', at));
    if (!isObject(state)) {
      out.push(diagnostic('SCHEMA_VALIDATION_FAILED', 'A state must be a JSON object', at));
      continue;
    }
    if (validateState(name, state, at, scope)) hasTerminal = true;
  }

  // Reachability: everything must be reachable from StartAt.
  const reached = new Set<string>();
  const queue = Object.hasOwn(states, startAt) ? [startAt] : [];
  while (queue.length > 0) {
    const name = queue.pop() as string;
    if (reached.has(name)) continue;
    reached.add(name);
    for (const next of transitions.get(name) ?? []) if (Object.hasOwn(states, next)) queue.push(next);
  }
  const unreachable = Object.keys(states).filter((n) => !reached.has(n));
  for (const name of unreachable) {
    out.push(diagnostic('MISSING_TRANSITION_TARGET', `State "${name}" is not reachable.`, `${location}/States/${name}`));
  }
  if (!hasTerminal && unreachable.length === 0) out.push(diagnostic('MISSING_END_STATE', 'Workflow has no terminal state'));
}
