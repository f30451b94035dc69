/**
 * JSONPath as Step Functions reads it. AWS evaluates paths with the Java Jayway library, so this
 * parser follows Jayway's dialect: dot names may contain `-` and most punctuation, bracket names
 * are quoted with `'` or `"` and taken literally (recorded `ESCAPE_SEQUENCES_JSONPATH`), and
 * wildcards, slices, unions, filters and `..` make a path *indefinite* (it yields a list).
 *
 * Roots: `$` (the state's data), `$$` (the context object), `$name` (a workflow variable), and
 * `@` (the current element, inside a filter).
 */
import { parseFilter, type FilterExpr } from './filter.ts';

export type Root = { readonly kind: 'input' } | { readonly kind: 'context' } | { readonly kind: 'current' } | { readonly kind: 'variable'; readonly name: string };

export type Segment =
  | { readonly kind: 'name'; readonly names: readonly string[] }
  | { readonly kind: 'index'; readonly indexes: readonly number[] }
  | { readonly kind: 'wildcard' }
  | { readonly kind: 'slice'; readonly start: number | undefined; readonly end: number | undefined; readonly step: number | undefined }
  | { readonly kind: 'filter'; readonly expr: FilterExpr }
  | { readonly kind: 'descendant'; readonly then: Segment }
  | { readonly kind: 'length' };

export interface JsonPath {
  readonly text: string;
  readonly root: Root;
  readonly segments: readonly Segment[];
  /** A definite path names one location; an indefinite one yields a list of matches. */
  readonly definite: boolean;
}

export class JsonPathSyntaxError extends Error {
  override readonly name = 'JsonPathSyntaxError';
}

const VARIABLE_START = /[A-Za-z_]/;
const VARIABLE_PART = /[A-Za-z0-9_]/;

/** Parses a whole path; throws `JsonPathSyntaxError` when the text is not one. */
export function parseJsonPath(text: string): JsonPath {
  const reader = new PathReader(text, 0, '');
  const path = reader.readPath();
  if (reader.pos !== text.length) throw new JsonPathSyntaxError(`unexpected '${text.slice(reader.pos)}' in path '${text}'`);
  return path;
}

/**
 * Reads a path that starts at `pos` inside a larger expression (a filter or an intrinsic
 * function argument) and stops before any of `stop` outside brackets.
 */
export function readEmbeddedPath(text: string, pos: number, stop: string): { path: JsonPath; end: number } {
  const reader = new PathReader(text, pos, stop);
  const path = reader.readPath();
  return { path, end: reader.pos };
}

class PathReader {
  pos: number;
  readonly #text: string;
  readonly #stop: string;

  constructor(text: string, pos: number, stop: string) {
    this.#text = text;
    this.pos = pos;
    this.#stop = stop;
  }

  readPath(): JsonPath {
    const start = this.pos;
    const root = this.#readRoot();
    const segments: Segment[] = [];
    for (;;) {
      const c = this.#text[this.pos];
      if (c === undefined || this.#stop.includes(c)) break;
      if (c === '.') {
        if (this.#text[this.pos + 1] === '.') {
          this.pos += 2;
          const next = this.#text[this.pos] === '[' ? this.#readBracket() : this.#readDotMember();
          segments.push({ kind: 'descendant', then: next });
        } else {
          this.pos += 1;
          segments.push(this.#readDotMember());
        }
      } else if (c === '[') {
        segments.push(this.#readBracket());
      } else {
        break;
      }
    }
    const text = this.#text.slice(start, this.pos);
    return { text, root, segments, definite: segments.every(isDefinite) };
  }

  #readRoot(): Root {
    const t = this.#text;
    if (t[this.pos] === '@') {
      this.pos += 1;
      return { kind: 'current' };
    }
    if (t[this.pos] !== '$') throw new JsonPathSyntaxError(`a path must start with '$': '${t.slice(this.pos)}'`);
    this.pos += 1;
    if (t[this.pos] === '$') {
      this.pos += 1;
      return { kind: 'context' };
    }
    const first = t[this.pos];
    if (first !== undefined && VARIABLE_START.test(first)) {
      let end = this.pos + 1;
      while (end < t.length && VARIABLE_PART.test(t[end] as string)) end++;
      const name = t.slice(this.pos, end);
      this.pos = end;
      return { kind: 'variable', name };
    }
    return { kind: 'input' };
  }

  #readDotMember(): Segment {
    const t = this.#text;
    if (t[this.pos] === '*') {
      this.pos += 1;
      return { kind: 'wildcard' };
    }
    let end = this.pos;
    while (end < t.length) {
      const c = t[end] as string;
      if (c === '.' || c === '[' || this.#stop.includes(c)) break;
      end++;
    }
    const name = t.slice(this.pos, end);
    if (name === '') throw new JsonPathSyntaxError(`empty property name in path '${t}'`);
    this.pos = end;
    if (name === 'length()') return { kind: 'length' };
    return { kind: 'name', names: [name] };
  }

  #readBracket(): Segment {
    const t = this.#text;
    const close = (): void => {
      this.#skipSpaces();
      if (t[this.pos] !== ']') throw new JsonPathSyntaxError(`expected ']' in path '${t}'`);
      this.pos += 1;
    };
    this.pos += 1; // [
    this.#skipSpaces();
    const c = t[this.pos];
    if (c === '*') {
      this.pos += 1;
      close();
      return { kind: 'wildcard' };
    }
    if (c === '?') {
      this.pos += 1;
      if (t[this.pos] !== '(') throw new JsonPathSyntaxError(`expected '(' after '?' in path '${t}'`);
      const end = findFilterEnd(t, this.pos);
      const expr = parseFilter(t.slice(this.pos + 1, end));
      this.pos = end + 1;
      close();
      return { kind: 'filter', expr };
    }
    if (c === "'" || c === '"') {
      const names: string[] = [];
      for (;;) {
        names.push(this.#readQuoted());
        this.#skipSpaces();
        if (t[this.pos] !== ',') break;
        this.pos += 1;
        this.#skipSpaces();
      }
      close();
      return { kind: 'name', names };
    }
    const end = t.indexOf(']', this.pos);
    if (end < 0) throw new JsonPathSyntaxError(`expected ']' in path '${t}'`);
    const body = t.slice(this.pos, end).trim();
    this.pos = end + 1;
    if (body.includes(':')) return parseSlice(body, t);
    const indexes = body.split(',').map((s) => parseInteger(s.trim(), t));
    return { kind: 'index', indexes };
  }

  /** Jayway keeps the text between the quotes as it is; a backslash only protects the next character. */
  #readQuoted(): string {
    const t = this.#text;
    const quote = t[this.pos];
    let i = this.pos + 1;
    while (i < t.length && t[i] !== quote) i += t[i] === '\\' ? 2 : 1;
    if (i >= t.length) throw new JsonPathSyntaxError(`unterminated quoted name in path '${t}'`);
    const name = t.slice(this.pos + 1, i);
    this.pos = i + 1;
    return name;
  }

  #skipSpaces(): void {
    while (this.#text[this.pos] === ' ') this.pos++;
  }
}

function isDefinite(segment: Segment): boolean {
  switch (segment.kind) {
    case 'name':
      return segment.names.length === 1;
    case 'index':
      return segment.indexes.length === 1;
    case 'length':
      return true;
    default:
      return false;
  }
}

function parseInteger(s: string, path: string): number {
  if (!/^-?\d+$/.test(s)) throw new JsonPathSyntaxError(`'${s}' is not an array index in path '${path}'`);
  return Number(s);
}

function parseSlice(body: string, path: string): Segment {
  const parts = body.split(':').map((s) => s.trim());
  if (parts.length > 3) throw new JsonPathSyntaxError(`bad slice '[${body}]' in path '${path}'`);
  const num = (s: string | undefined): number | undefined => (s === undefined || s === '' ? undefined : parseInteger(s, path));
  return { kind: 'slice', start: num(parts[0]), end: num(parts[1]), step: num(parts[2]) };
}

/** Index of the ')' closing the '(' at `open`, skipping quoted strings and nested parentheses. */
function findFilterEnd(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === "'" || c === '"') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' ? 2 : 1;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new JsonPathSyntaxError(`unterminated filter in path '${text}'`);
}

/** Jayway's rendering of a path in its error messages: `$['a']['b'][0]`. */
export function jaywayPathText(path: JsonPath): string {
  const root = path.root.kind === 'context' ? '$$' : path.root.kind === 'variable' ? `$${path.root.name}` : path.root.kind === 'current' ? '@' : '$';
  return root + path.segments.map(segmentText).join('');
}

function segmentText(s: Segment): string {
  switch (s.kind) {
    case 'name':
      return `[${s.names.map((n) => `'${n}'`).join(',')}]`;
    case 'index':
      return `[${s.indexes.join(',')}]`;
    case 'wildcard':
      return '[*]';
    case 'slice':
      return `[${s.start ?? ''}:${s.end ?? ''}${s.step === undefined ? '' : `:${s.step}`}]`;
    case 'filter':
      return '[?]';
    case 'descendant':
      return `..${segmentText(s.then)}`;
    case 'length':
      return '.length()';
  }
}
