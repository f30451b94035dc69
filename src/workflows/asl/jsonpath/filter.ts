/**
 * Jayway filter expressions (`[?(@.status == 0)]`): comparisons, `=~` regular expressions,
 * `in`/`nin`, `&&`, `||`, `!`, parentheses and bare existence tests (`[?(@.isbn)]`).
 */
import type { JsonPath } from './parse.ts';
import { JsonPathSyntaxError, readEmbeddedPath } from './parse.ts';

export type FilterOperand =
  | { readonly kind: 'path'; readonly path: JsonPath }
  | { readonly kind: 'literal'; readonly value: unknown }
  | { readonly kind: 'regex'; readonly regex: RegExp };

export type FilterExpr =
  | { readonly kind: 'or' | 'and'; readonly left: FilterExpr; readonly right: FilterExpr }
  | { readonly kind: 'not'; readonly expr: FilterExpr }
  | { readonly kind: 'exists'; readonly operand: FilterOperand }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: FilterOperand; readonly right: FilterOperand };

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '=~' | 'in' | 'nin';

const OPERATORS: readonly CompareOp[] = ['==', '!=', '<=', '>=', '<', '>', '=~'];
const PATH_STOP = ' =!<>)&|,';

export function parseFilter(text: string): FilterExpr {
  const p = new FilterParser(text);
  const expr = p.parseOr();
  p.skip();
  if (p.pos !== text.length) throw new JsonPathSyntaxError(`unexpected '${text.slice(p.pos)}' in filter '${text}'`);
  return expr;
}

class FilterParser {
  pos = 0;
  readonly #t: string;

  constructor(text: string) {
    this.#t = text;
  }

  skip(): void {
    while (this.#t[this.pos] === ' ') this.pos++;
  }

  #eat(token: string): boolean {
    this.skip();
    if (this.#t.startsWith(token, this.pos)) {
      this.pos += token.length;
      return true;
    }
    return false;
  }

  parseOr(): FilterExpr {
    let left = this.parseAnd();
    while (this.#eat('||')) left = { kind: 'or', left, right: this.parseAnd() };
    return left;
  }

  parseAnd(): FilterExpr {
    let left = this.parseUnary();
    while (this.#eat('&&')) left = { kind: 'and', left, right: this.parseUnary() };
    return left;
  }

  parseUnary(): FilterExpr {
    this.skip();
    if (this.#t[this.pos] === '!' && this.#t[this.pos + 1] !== '=') {
      this.pos += 1;
      return { kind: 'not', expr: this.parseUnary() };
    }
    if (this.#t[this.pos] === '(') {
      this.pos += 1;
      const inner = this.parseOr();
      if (!this.#eat(')')) throw new JsonPathSyntaxError(`expected ')' in filter '${this.#t}'`);
      return inner;
    }
    const left = this.#operand();
    this.skip();
    for (const op of OPERATORS) {
      if (this.#t.startsWith(op, this.pos)) {
        this.pos += op.length;
        return { kind: 'compare', op, left, right: this.#operand() };
      }
    }
    for (const op of ['nin', 'in'] as const) {
      if (this.#t.startsWith(`${op} `, this.pos)) {
        this.pos += op.length;
        return { kind: 'compare', op, left, right: this.#operand() };
      }
    }
    return { kind: 'exists', operand: left };
  }

  #operand(): FilterOperand {
    this.skip();
    const t = this.#t;
    const c = t[this.pos];
    if (c === '@' || c === '$') {
      const { path, end } = readEmbeddedPath(t, this.pos, PATH_STOP);
      this.pos = end;
      return { kind: 'path', path };
    }
    if (c === "'" || c === '"') {
      let i = this.pos + 1;
      let value = '';
      while (i < t.length && t[i] !== c) {
        if (t[i] === '\\' && i + 1 < t.length) i++;
        value += t[i];
        i++;
      }
      this.pos = i + 1;
      return { kind: 'literal', value };
    }
    if (c === '/') {
      const close = t.lastIndexOf('/');
      if (close <= this.pos) throw new JsonPathSyntaxError(`unterminated regular expression in filter '${t}'`);
      let end = close + 1;
      while (end < t.length && /[a-z]/.test(t[end] as string)) end++;
      const regex = new RegExp(t.slice(this.pos + 1, close), t.slice(close + 1, end).replace(/[^imsu]/g, ''));
      this.pos = end;
      return { kind: 'regex', regex };
    }
    if (c === '[') {
      const close = t.indexOf(']', this.pos);
      if (close < 0) throw new JsonPathSyntaxError(`unterminated list in filter '${t}'`);
      const value: unknown = JSON.parse(t.slice(this.pos, close + 1).replaceAll("'", '"'));
      this.pos = close + 1;
      return { kind: 'literal', value };
    }
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(t.slice(this.pos));
    if (m === null) throw new JsonPathSyntaxError(`unexpected '${t.slice(this.pos)}' in filter '${t}'`);
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) };
  }
}
