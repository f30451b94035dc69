/**
 * Evaluates a parsed path. A definite path either finds one value or finds nothing; an indefinite
 * path always "finds" the list of its matches, which is `[]` when nothing matches — AWS returns
 * `[]` there rather than failing (12 recorded `test_json_path_array_wildcard_or_slice_with_no_input`
 * cases).
 */
import { isObject, jsonEquals, type Json } from '../json.ts';
import type { FilterExpr, FilterOperand } from './filter.ts';
import type { JsonPath, Segment } from './parse.ts';

export interface PathScope {
  /** `$`: the data the path applies to. */
  readonly input: Json;
  /** `$$`: the context object. */
  readonly context?: Json;
  /** `$name`: workflow variables; `undefined` when the variable is not assigned. */
  readonly variable?: (name: string) => Json | undefined;
}

export type PathResult = { readonly found: true; readonly value: Json } | { readonly found: false };

const NOT_FOUND: PathResult = { found: false };

export function evaluatePath(path: JsonPath, scope: PathScope, current?: Json): PathResult {
  let start: Json | undefined;
  switch (path.root.kind) {
    case 'input':
      start = scope.input;
      break;
    case 'context':
      start = scope.context;
      break;
    case 'current':
      start = current;
      break;
    case 'variable':
      start = scope.variable?.(path.root.name);
      break;
  }
  if (start === undefined) return path.definite ? NOT_FOUND : { found: true, value: [] };
  if (path.definite) {
    const found = walkSimple(path.segments, start);
    if (found !== undefined) return found;
  }
  let nodes: Json[] = [start];
  for (const segment of path.segments) {
    const next: Json[] = [];
    for (const node of nodes) applySegment(segment, node, scope, next);
    nodes = next;
  }
  if (path.definite) {
    const [value] = nodes;
    return value === undefined ? NOT_FOUND : { found: true, value };
  }
  return { found: true, value: nodes };
}

/**
 * The common definite path (`$.a.b`, `$.list[0]`: one name or one index per segment) without the
 * node lists of the general walk, with its results; undefined for any other path.
 */
function walkSimple(segments: readonly Segment[], start: Json): PathResult | undefined {
  let node: Json | undefined = start;
  for (const segment of segments) {
    if (segment.kind === 'name' && segment.names.length === 1) {
      const name = segment.names[0] as string;
      node = node !== undefined && isObject(node) && Object.hasOwn(node, name) ? node[name] : undefined;
    } else if (segment.kind === 'index' && segment.indexes.length === 1) {
      const index = segment.indexes[0] as number;
      if (node === undefined || !Array.isArray(node)) {
        node = undefined;
      } else {
        const i = index < 0 ? node.length + index : index;
        node = i >= 0 && i < node.length ? node[i] : undefined;
      }
    } else {
      return undefined;
    }
  }
  return node === undefined ? NOT_FOUND : { found: true, value: node };
}

function applySegment(segment: Segment, node: Json, scope: PathScope, out: Json[]): void {
  switch (segment.kind) {
    case 'name':
      if (!isObject(node)) return;
      for (const name of segment.names) {
        if (Object.hasOwn(node, name)) out.push(node[name] as Json);
      }
      return;
    case 'index':
      if (!Array.isArray(node)) return;
      for (const index of segment.indexes) {
        const i = index < 0 ? node.length + index : index;
        if (i >= 0 && i < node.length) out.push(node[i] as Json);
      }
      return;
    case 'wildcard':
      if (Array.isArray(node)) out.push(...node);
      else if (isObject(node)) out.push(...Object.values(node));
      return;
    case 'slice':
      if (Array.isArray(node)) out.push(...slice(node, segment.start, segment.end, segment.step));
      return;
    case 'filter': {
      const candidates = Array.isArray(node) ? node : isObject(node) ? [node] : [];
      for (const candidate of candidates) if (testFilter(segment.expr, scope, candidate)) out.push(candidate);
      return;
    }
    case 'descendant':
      descend(node, (n) => applySegment(segment.then, n, scope, out));
      return;
    case 'length':
      if (Array.isArray(node)) out.push(node.length);
      else if (isObject(node)) out.push(Object.keys(node).length);
      else if (typeof node === 'string') out.push(node.length);
      return;
  }
}

function descend(node: Json, visit: (n: Json) => void): void {
  visit(node);
  if (Array.isArray(node)) for (const child of node) descend(child, visit);
  else if (isObject(node)) for (const child of Object.values(node)) descend(child, visit);
}

function slice(items: readonly Json[], start: number | undefined, end: number | undefined, step: number | undefined): Json[] {
  const len = items.length;
  const norm = (i: number): number => (i < 0 ? Math.max(0, len + i) : Math.min(i, len));
  const from = start === undefined ? 0 : norm(start);
  const to = end === undefined ? len : norm(end);
  const by = step === undefined || step === 0 ? 1 : Math.abs(step);
  const out: Json[] = [];
  for (let i = from; i < to; i += by) out.push(items[i] as Json);
  return out;
}

function testFilter(expr: FilterExpr, scope: PathScope, current: Json): boolean {
  switch (expr.kind) {
    case 'or':
      return testFilter(expr.left, scope, current) || testFilter(expr.right, scope, current);
    case 'and':
      return testFilter(expr.left, scope, current) && testFilter(expr.right, scope, current);
    case 'not':
      return !testFilter(expr.expr, scope, current);
    case 'exists': {
      const value = operandValue(expr.operand, scope, current);
      return value !== undefined && (expr.operand.kind !== 'literal' || value === true);
    }
    case 'compare':
      return compare(expr.op, operandValue(expr.left, scope, current), expr.right, scope, current);
  }
}

function operandValue(operand: FilterOperand, scope: PathScope, current: Json): unknown {
  switch (operand.kind) {
    case 'literal':
      return operand.value;
    case 'regex':
      return operand.regex;
    case 'path': {
      const result = evaluatePath(operand.path, scope, current);
      return result.found ? result.value : undefined;
    }
  }
}

function compare(op: string, left: unknown, rightOperand: FilterOperand, scope: PathScope, current: Json): boolean {
  const right = operandValue(rightOperand, scope, current);
  if (left === undefined || right === undefined) return op === '!=' && left !== right;
  switch (op) {
    case '==':
      return sameJson(left, right);
    case '!=':
      return !sameJson(left, right);
    case '=~':
      return typeof left === 'string' && right instanceof RegExp && new RegExp(`^(?:${right.source})$`, right.flags).test(left);
    case 'in':
      return Array.isArray(right) && right.some((r) => sameJson(left, r));
    case 'nin':
      return Array.isArray(right) && !right.some((r) => sameJson(left, r));
    default: {
      const bothNumbers = typeof left === 'number' && typeof right === 'number';
      const bothStrings = typeof left === 'string' && typeof right === 'string';
      if (!bothNumbers && !bothStrings) return false;
      const l = left as number | string;
      const r = right as number | string;
      if (op === '<') return l < r;
      if (op === '<=') return l <= r;
      if (op === '>') return l > r;
      return l >= r;
    }
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a instanceof RegExp || b instanceof RegExp) return false;
  return jsonEquals(a as Json, b as Json);
}
