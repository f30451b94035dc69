/**
 * A state machine definition (ASL) laid out as a graph, for the execution view: states as boxes
 * in layers (top to bottom), edges for Next, Choice rules, Default and Catch; a Parallel state is
 * a box holding its branches side by side, a Map state a box holding its item processor. Pure:
 * definition in, coordinates and SVG path data out.
 *
 * Layering: edges that close a cycle (found by a depth-first walk from StartAt) are set aside;
 * every other state goes one layer below its deepest predecessor (longest path), so a chain reads
 * straight down and the branches of a Choice meet again below it. Within a layer, states are
 * ordered by the mean position of their predecessors (one barycentre sweep). Back edges and edges
 * within a layer are drawn as curves on the right.
 */

export interface AslState {
  readonly Type?: string;
  readonly Next?: string;
  readonly End?: boolean;
  readonly Default?: string;
  readonly Choices?: readonly Readonly<Record<string, unknown>>[];
  readonly Catch?: readonly { readonly ErrorEquals?: readonly string[]; readonly Next?: string }[];
  readonly Branches?: readonly AslMachine[];
  readonly Iterator?: AslMachine;
  readonly ItemProcessor?: AslMachine;
}

export interface AslMachine {
  readonly StartAt?: string;
  readonly States?: Readonly<Record<string, AslState>>;
}

export type EdgeKind = 'next' | 'choice' | 'default' | 'catch';

export interface LaidEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
  /** SVG path data. */
  readonly path: string;
  readonly labelX: number;
  readonly labelY: number;
}

export interface LaidNode {
  readonly name: string;
  readonly type: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Ends the machine (End: true, Succeed, Fail). */
  readonly terminal: boolean;
  /** Parallel branches or the Map item processor, each at its offset inside this box. */
  readonly inner: readonly { readonly graph: LaidGraph; readonly dx: number; readonly dy: number }[];
}

export interface LaidGraph {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly LaidNode[];
  readonly edges: readonly LaidEdge[];
  /** The start marker, with its edge into StartAt. */
  readonly start?: { readonly x: number; readonly y: number; readonly path: string };
}

export const NODE_WIDTH = 190;
export const NODE_HEIGHT = 42;
const H_GAP = 36;
const V_GAP = 58;
const PAD = 16;
/** Space for the title of a Parallel / Map box. */
export const HEADER = 30;
const START_SPACE = 34;
const LOOP_SPACE = 46;

interface RawEdge {
  readonly from: string;
  readonly to: string;
  readonly kind: EdgeKind;
  readonly label?: string;
}

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A short text for a Choice rule: the JSONata Condition, or `Variable <op> value`. */
export function choiceLabel(rule: Readonly<Record<string, unknown>>, index: number): string {
  if (typeof rule['Condition'] === 'string') return clip(rule['Condition'].replace(/^\{%\s*|\s*%\}$/g, ''), 28);
  const variable = typeof rule['Variable'] === 'string' ? rule['Variable'] : undefined;
  const op = Object.keys(rule).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment' && k !== 'Assign' && k !== 'Output');
  if (variable !== undefined && op !== undefined) return clip(`${variable} ${op} ${JSON.stringify(rule[op])}`, 28);
  if (op !== undefined) return clip(op, 28);
  return `rule ${index + 1}`;
}

export function edgesOf(name: string, state: AslState): RawEdge[] {
  const out: RawEdge[] = [];
  if (typeof state.Next === 'string') out.push({ from: name, to: state.Next, kind: 'next' });
  state.Choices?.forEach((rule, i) => {
    if (typeof rule['Next'] === 'string') out.push({ from: name, to: rule['Next'], kind: 'choice', label: choiceLabel(rule, i) });
  });
  if (typeof state.Default === 'string') out.push({ from: name, to: state.Default, kind: 'default', label: 'default' });
  for (const c of state.Catch ?? []) {
    if (typeof c.Next === 'string') out.push({ from: name, to: c.Next, kind: 'catch', label: clip(`catch ${(c.ErrorEquals ?? []).join(', ')}`, 28) });
  }
  return out;
}

function innerMachines(state: AslState): AslMachine[] {
  if (state.Type === 'Parallel') return [...(state.Branches ?? [])];
  if (state.Type === 'Map') {
    const processor = state.ItemProcessor ?? state.Iterator;
    return processor === undefined ? [] : [processor];
  }
  return [];
}

/** Layers by longest path over the edges that do not close a cycle; returns the back edges too. */
function layer(names: readonly string[], start: string | undefined, edges: readonly RawEdge[]): { layers: Map<string, number>; back: Set<RawEdge>; discovery: Map<string, number> } {
  const out = new Map<string, RawEdge[]>();
  for (const e of edges) out.set(e.from, [...(out.get(e.from) ?? []), e]);
  const back = new Set<RawEdge>();
  const discovery = new Map<string, number>();
  const onStack = new Set<string>();
  const visit = (n: string): void => {
    discovery.set(n, discovery.size);
    onStack.add(n);
    for (const e of out.get(n) ?? []) {
      if (onStack.has(e.to)) back.add(e);
      else if (!discovery.has(e.to)) visit(e.to);
    }
    onStack.delete(n);
  };
  if (start !== undefined && names.includes(start)) visit(start);
  for (const n of names) if (!discovery.has(n)) visit(n);

  const forward = edges.filter((e) => !back.has(e) && e.from !== e.to);
  const indegree = new Map(names.map((n) => [n, 0]));
  for (const e of forward) indegree.set(e.to, (indegree.get(e.to) ?? 0) + 1);
  const layers = new Map(names.map((n) => [n, 0]));
  const queue = names.filter((n) => indegree.get(n) === 0);
  while (queue.length > 0) {
    const n = queue.shift() as string;
    for (const e of forward) {
      if (e.from !== n) continue;
      layers.set(e.to, Math.max(layers.get(e.to) ?? 0, (layers.get(n) ?? 0) + 1));
      const left = (indegree.get(e.to) ?? 1) - 1;
      indegree.set(e.to, left);
      if (left === 0) queue.push(e.to);
    }
  }
  return { layers, back, discovery };
}

export function layoutMachine(machine: AslMachine): LaidGraph {
  const states = machine.States ?? {};
  const names = Object.keys(states);
  const edges = names.flatMap((n) => edgesOf(n, states[n] ?? {})).filter((e) => e.to in states);
  const { layers, back, discovery } = layer(names, machine.StartAt, edges);

  // Sizes first: a composite box is as big as what it holds.
  const sized = new Map<string, { width: number; height: number; inner: { graph: LaidGraph; dx: number; dy: number }[] }>();
  for (const name of names) {
    const inner = innerMachines(states[name] ?? {}).map(layoutMachine);
    if (inner.length === 0) {
      sized.set(name, { width: NODE_WIDTH, height: NODE_HEIGHT, inner: [] });
      continue;
    }
    let dx = PAD;
    const placed = inner.map((graph) => {
      const at = { graph, dx, dy: HEADER };
      dx += graph.width + H_GAP / 2;
      return at;
    });
    const width = Math.max(NODE_WIDTH, dx - H_GAP / 2 + PAD);
    const height = HEADER + Math.max(...inner.map((g) => g.height)) + PAD / 2;
    // Centre the branches when the title is wider than they are.
    const spare = (width - (dx - H_GAP / 2 + PAD)) / 2;
    sized.set(name, { width, height, inner: placed.map((p) => ({ ...p, dx: p.dx + Math.max(0, spare) })) });
  }

  // Rows: discovery order, then one sweep by the mean x of each state's predecessors.
  const depth = Math.max(0, ...layers.values()) + 1;
  const rows: string[][] = Array.from({ length: depth }, () => []);
  for (const n of [...names].sort((a, b) => (discovery.get(a) ?? 0) - (discovery.get(b) ?? 0))) rows[layers.get(n) ?? 0]?.push(n);
  const centreX = new Map<string, number>();
  const placeRow = (row: readonly string[]): void => {
    let x = 0;
    for (const n of row) {
      const w = sized.get(n)?.width ?? NODE_WIDTH;
      centreX.set(n, x + w / 2);
      x += w + H_GAP;
    }
  };
  rows.forEach((row, i) => {
    if (i > 0) {
      const mean = (n: string): number => {
        const preds = edges.filter((e) => e.to === n && !back.has(e) && (layers.get(e.from) ?? 0) < i).map((e) => centreX.get(e.from) ?? 0);
        return preds.length === 0 ? Number.MAX_SAFE_INTEGER : preds.reduce((a, b) => a + b, 0) / preds.length;
      };
      const keys = new Map(row.map((n) => [n, mean(n)]));
      row.sort((a, b) => (keys.get(a) ?? 0) - (keys.get(b) ?? 0));
    }
    placeRow(row);
  });

  const rowWidth = (row: readonly string[]): number => row.reduce((w, n) => w + (sized.get(n)?.width ?? NODE_WIDTH), 0) + H_GAP * Math.max(0, row.length - 1);
  const contentWidth = Math.max(NODE_WIDTH, ...rows.map(rowWidth));
  const nodes: LaidNode[] = [];
  const byName = new Map<string, LaidNode>();
  let y = START_SPACE;
  for (const row of rows) {
    const height = Math.max(0, ...row.map((n) => sized.get(n)?.height ?? NODE_HEIGHT));
    let x = PAD + (contentWidth - rowWidth(row)) / 2;
    for (const name of row) {
      const s = sized.get(name) ?? { width: NODE_WIDTH, height: NODE_HEIGHT, inner: [] };
      const state = states[name] ?? {};
      const node: LaidNode = {
        name,
        type: state.Type ?? '?',
        x,
        y: y + (height - s.height) / 2,
        width: s.width,
        height: s.height,
        terminal: state.End === true || state.Type === 'Succeed' || state.Type === 'Fail',
        inner: s.inner,
      };
      nodes.push(node);
      byName.set(name, node);
      x += s.width + H_GAP;
    }
    y += height + V_GAP;
  }

  let right = PAD + contentWidth;
  let loops = 0;
  const isDown = (e: RawEdge): boolean => !back.has(e) && e.from !== e.to && (byName.get(e.to)?.y ?? 0) > (byName.get(e.from)?.y ?? 0) + (byName.get(e.from)?.height ?? 0) / 2;
  // Several edges leaving one box downwards start side by side, ordered by where they go.
  const fanOut = new Map<RawEdge, number>();
  for (const name of names) {
    const down = edges.filter((e) => e.from === name && isDown(e)).sort((p, q) => (byName.get(p.to)?.x ?? 0) - (byName.get(q.to)?.x ?? 0));
    down.forEach((e, i) => fanOut.set(e, (i - (down.length - 1) / 2) * 16));
  }
  const laid: LaidEdge[] = edges.map((e) => {
    const a = byName.get(e.from) as LaidNode;
    const b = byName.get(e.to) as LaidNode;
    const label = e.label !== undefined ? { label: e.label } : {};
    if (isDown(e)) {
      const x1 = a.x + a.width / 2 + (fanOut.get(e) ?? 0);
      const y1 = a.y + a.height;
      const x2 = b.x + b.width / 2;
      const y2 = b.y;
      const bend = (y2 - y1) / 2;
      return { ...e, ...label, path: `M ${x1} ${y1} C ${x1} ${y1 + bend}, ${x2} ${y2 - bend}, ${x2} ${y2}`, labelX: (x1 + x2) / 2, labelY: (y1 + y2) / 2 };
    }
    // A loop back up (or within a row): around the right-hand side.
    loops++;
    const x1 = a.x + a.width;
    const y1 = a.y + a.height / 2;
    const x2 = b.x + b.width;
    const y2 = b.y + b.height / 2 + (e.from === e.to ? 10 : 0);
    const out = Math.max(x1, x2) + LOOP_SPACE * loops;
    right = Math.max(right, out);
    return { ...e, ...label, path: `M ${x1} ${y1} C ${out} ${y1}, ${out} ${y2}, ${x2} ${y2}`, labelX: out - 8, labelY: (y1 + y2) / 2 };
  });

  const first = machine.StartAt === undefined ? undefined : byName.get(machine.StartAt);
  const start =
    first === undefined
      ? undefined
      : { x: first.x + first.width / 2, y: START_SPACE / 2 - 4, path: `M ${first.x + first.width / 2} ${START_SPACE / 2 + 3} L ${first.x + first.width / 2} ${first.y}` };
  return { width: right + PAD, height: y - V_GAP + PAD, nodes, edges: laid, ...(start !== undefined ? { start } : {}) };
}
