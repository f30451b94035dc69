/**
 * A validated definition, indexed for the interpreter: every (sub-)state-machine — the top level,
 * each Parallel branch, each Map item processor — is a `Graph` with a stable id that an execution
 * state can store and a later process can resolve again from the same definition.
 */
import type { Definition, QueryLanguage, StateDefinition, SubMachine } from './definition.ts';
import { validateDefinition, type Diagnostic } from './validate.ts';

export interface Graph {
  /** Stable id: `[]` for the top level, `["Par",0]` for branch 0 of `Par`, `["Par",0,"M"]` inside it. */
  readonly id: string;
  readonly startAt: string;
  readonly states: Readonly<Record<string, StateDefinition>>;
}

export interface Machine {
  readonly definition: Definition;
  readonly root: Graph;
  readonly graphs: ReadonlyMap<string, Graph>;
  readonly timeoutSeconds: number | undefined;
  /** The language a state's fields are written in: its own `QueryLanguage`, else the machine's. */
  queryLanguage(state: StateDefinition): QueryLanguage;
}

export class InvalidDefinitionError extends Error {
  override readonly name = 'InvalidDefinitionError';
  readonly diagnostics: readonly Diagnostic[];

  constructor(diagnostics: readonly Diagnostic[]) {
    super(formatInvalidDefinition(diagnostics));
    this.diagnostics = diagnostics;
  }
}

/**
 * AWS's `InvalidDefinition` message, e.g. `Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET:
 * Missing 'Next' target: pass3 at /States/pass1/Next'`.
 */
export function formatInvalidDefinition(diagnostics: readonly Diagnostic[]): string {
  return `Invalid State Machine Definition: '${diagnostics.map((d) => `${d.code}: ${d.message} at ${d.location ?? 'null'}`).join(', ')}'`;
}

/** Validates and indexes a definition (an object or its JSON text); throws `InvalidDefinitionError`. */
export function compileMachine(source: unknown): Machine {
  const diagnostics = validateDefinition(source);
  if (diagnostics.length > 0) throw new InvalidDefinitionError(diagnostics);
  const definition = (typeof source === 'string' ? JSON.parse(source) : source) as Definition;
  const graphs = new Map<string, Graph>();
  const add = (path: readonly (string | number)[], sub: { StartAt: string; States: Readonly<Record<string, StateDefinition>> }): Graph => {
    const graph: Graph = { id: JSON.stringify(path), startAt: sub.StartAt, states: sub.States };
    graphs.set(graph.id, graph);
    for (const [name, state] of Object.entries(sub.States)) {
      state.Branches?.forEach((branch, i) => add([...path, name, i], branch));
      const processor = itemProcessor(state);
      if (processor !== undefined) add([...path, name], processor);
    }
    return graph;
  };
  const root = add([], definition);
  const topLanguage = definition.QueryLanguage ?? 'JSONPath';
  return {
    definition,
    root,
    graphs,
    timeoutSeconds: definition.TimeoutSeconds,
    queryLanguage: (state) => state.QueryLanguage ?? topLanguage,
  };
}

export function itemProcessor(state: StateDefinition): SubMachine | undefined {
  return state.ItemProcessor ?? state.Iterator;
}

/** Id of the graph of Parallel branch `index` (or of the Map processor when `index` is undefined). */
export function childGraphId(parent: Graph, stateName: string, index?: number): string {
  const path = JSON.parse(parent.id) as (string | number)[];
  return JSON.stringify(index === undefined ? [...path, stateName] : [...path, stateName, index]);
}

export function getGraph(machine: Machine, id: string): Graph {
  const graph = machine.graphs.get(id);
  if (graph === undefined) throw new Error(`no graph ${id} in this state machine (was the definition changed under a running execution?)`);
  return graph;
}
