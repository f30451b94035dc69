/**
 * Intrinsic function calls (`States.Format('{} items', States.ArrayLength($.xs))`). Arguments are
 * single-quoted strings (escapes `\'`, `\{`, `\}`, `\\`), numbers, `true`/`false`/`null`, paths
 * (`$...`, `$$...`, `$variable...`) and nested calls.
 */
import { readEmbeddedPath, type JsonPath } from '../jsonpath/parse.ts';

export type IntrinsicArg =
  | { readonly kind: 'string'; readonly value: string; /** the text between the quotes, escapes kept (States.Format needs `\{`) */ readonly raw: string }
  | { readonly kind: 'literal'; readonly value: number | boolean | null }
  | { readonly kind: 'path'; readonly path: JsonPath }
  | { readonly kind: 'call'; readonly call: IntrinsicCall };

export interface IntrinsicCall {
  readonly name: string;
  readonly args: readonly IntrinsicArg[];
  readonly text: string;
}

export class IntrinsicSyntaxError extends Error {
  override readonly name = 'IntrinsicSyntaxError';
}

const CALL_START = /^States\.[A-Za-z0-9]+\(/;

/** Whether a `.$` value is an intrinsic call rather than a path. */
export function looksLikeIntrinsic(text: string): boolean {
  return CALL_START.test(text);
}

export function parseIntrinsic(text: string): IntrinsicCall {
  const p = new IntrinsicParser(text);
  const call = p.call();
  p.skip();
  if (p.pos !== text.length) throw new IntrinsicSyntaxError(`unexpected '${text.slice(p.pos)}' after the call in '${text}'`);
  return call;
}

class IntrinsicParser {
  pos = 0;
  readonly #t: string;

  constructor(text: string) {
    this.#t = text;
  }

  skip(): void {
    while (this.pos < this.#t.length && /\s/.test(this.#t[this.pos] as string)) this.pos++;
  }

  call(depth = 1): IntrinsicCall {
    if (depth > 10) throw new IntrinsicSyntaxError('intrinsic functions can be nested at most 10 deep');
    const start = this.pos;
    const m = /^States\.[A-Za-z0-9]+/.exec(this.#t.slice(this.pos));
    if (m === null) throw new IntrinsicSyntaxError(`expected a States.* function at '${this.#t.slice(this.pos)}'`);
    this.pos += m[0].length;
    if (this.#t[this.pos] !== '(') throw new IntrinsicSyntaxError(`expected '(' after ${m[0]}`);
    this.pos += 1;
    const args: IntrinsicArg[] = [];
    this.skip();
    if (this.#t[this.pos] === ')') {
      this.pos += 1;
    } else {
      for (;;) {
        this.skip();
        args.push(this.#arg(depth));
        this.skip();
        const c = this.#t[this.pos];
        this.pos += 1;
        if (c === ')') break;
        if (c !== ',') throw new IntrinsicSyntaxError(`expected ',' or ')' in '${this.#t}'`);
      }
    }
    return { name: m[0], args, text: this.#t.slice(start, this.pos) };
  }

  #arg(depth: number): IntrinsicArg {
    const t = this.#t;
    const c = t[this.pos];
    if (c === "'") return this.#string();
    if (c === '$') {
      const { path, end } = readEmbeddedPath(t, this.pos, ', )');
      this.pos = end;
      return { kind: 'path', path };
    }
    if (t.startsWith('States.', this.pos)) return { kind: 'call', call: this.call(depth + 1) };
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(t.slice(this.pos));
    if (m === null) throw new IntrinsicSyntaxError(`unexpected argument '${t.slice(this.pos)}' in '${t}'`);
    this.pos += m[0].length;
    return { kind: 'literal', value: JSON.parse(m[0]) as number | boolean | null };
  }

  #string(): IntrinsicArg {
    const t = this.#t;
    let i = this.pos + 1;
    let value = '';
    while (i < t.length && t[i] !== "'") {
      if (t[i] === '\\' && i + 1 < t.length) i++;
      value += t[i];
      i++;
    }
    if (i >= t.length) throw new IntrinsicSyntaxError(`unterminated string in '${t}'`);
    const raw = t.slice(this.pos + 1, i);
    this.pos = i + 1;
    return { kind: 'string', value, raw };
  }
}
