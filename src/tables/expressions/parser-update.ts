/**
 * Grammar of update expressions: one or more clauses `SET`, `REMOVE`, `ADD`, `DELETE`, each at
 * most once, each a comma-separated list of actions. No two actions may touch overlapping paths.
 */
import type { Operand, UpdateAction } from './ast.ts';
import { checkLiteralType } from './parser-condition.ts';
import type { Parser } from './parser.ts';
import { checkOverlaps } from './path-overlap.ts';

const CLAUSES = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Clause = (typeof CLAUSES)[number];

export function parseUpdate(p: Parser): UpdateAction[] {
  const seen = new Set<Clause>();
  const actions: UpdateAction[] = [];
  do {
    const t = p.peek();
    const clause = CLAUSES.find((c) => t.kind === 'name' && t.text.toUpperCase() === c);
    if (clause === undefined) throw p.syntaxError();
    p.next();
    if (seen.has(clause)) p.defer(`The "${clause}" section can only be used once in an update expression;`);
    seen.add(clause);
    actions.push(parseAction(p, clause));
    while (p.isPunct(',')) {
      p.next();
      actions.push(parseAction(p, clause));
    }
  } while (p.peek().kind !== 'eof');
  checkOverlaps(p, actions.map((a) => a.path));
  p.finish();
  return actions;
}

function parseAction(p: Parser, clause: Clause): UpdateAction {
  const path = p.parsePath();
  switch (clause) {
    case 'SET':
      p.expectPunct('=');
      return { type: 'SET', path, value: parseSetValue(p) };
    case 'REMOVE':
      return { type: 'REMOVE', path };
    case 'ADD':
    case 'DELETE': {
      const value = p.parseValue();
      checkLiteralType(p, clause, value, clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS']);
      return { type: clause, path, value };
    }
  }
}

function parseSetValue(p: Parser): Operand {
  const left = parseSetOperand(p);
  if (!p.isPunct('+') && !p.isPunct('-')) return left;
  const op = p.next().text as '+' | '-';
  const right = parseSetOperand(p);
  checkLiteralType(p, op, left, ['N']);
  checkLiteralType(p, op, right, ['N']);
  return { type: 'arithmetic', op, left, right };
}

function parseSetOperand(p: Parser): Operand {
  if (!p.atFunctionCall()) return p.parseLeaf();
  const { name, args } = p.parseCall(() => parseSetOperand(p));
  p.rejectFunction(name, ['if_not_exists', 'list_append']);
  const [first, second] = args;
  if (name === 'if_not_exists' && p.checkArity(name, args, 2) && p.requirePath(name, first) && second) {
    return { type: 'if_not_exists', args: [first, second] };
  }
  if (name === 'list_append' && p.checkArity(name, args, 2) && first && second) {
    checkLiteralType(p, name, first, ['L']);
    checkLiteralType(p, name, second, ['L']);
    return { type: 'list_append', args: [first, second] };
  }
  return { type: 'path', elements: [] };
}
