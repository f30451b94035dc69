/**
 * The token cursor shared by every expression parser, plus the pieces all grammars have in common:
 * document paths, value placeholders and operands (paths, values and function calls).
 *
 * Placeholders are resolved while parsing. An undefined placeholder or a reserved word is a
 * semantic error, which DynamoDB only reports once the whole expression parsed: the parser keeps
 * the first one in `deferred` and `finish()` throws it after checking for trailing tokens.
 */
import type { AttributeValue } from '../attribute-value.ts';
import type { Operand, PathElement, PathNode, ValueNode } from './ast.ts';
import { BOOLEAN_FUNCTIONS } from './ast.ts';
import { ExpressionError, invalid, type ExpressionKind } from './expression-error.ts';
import { isReservedWord } from './reserved-words.ts';
import { tokenize, type Token } from './tokenizer.ts';

export interface PlaceholderSource {
  readonly names?: Readonly<Record<string, string>> | undefined;
  readonly values?: Readonly<Record<string, AttributeValue>> | undefined;
}

/** Words the grammars use as keywords; a path can never start with one of them. */
const GRAMMAR_KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE']);

export class Parser {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();
  private readonly tokens: Token[];
  private pos = 0;
  private deferred: ExpressionError | undefined;

  constructor(
    readonly source: string,
    readonly kind: ExpressionKind,
    private readonly placeholders: PlaceholderSource,
  ) {
    if (source.trim() === '') throw invalid(kind, 'The expression can not be empty;');
    this.tokens = tokenize(source);
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'name' && t.text.toUpperCase() === word;
  }

  expectPunct(text: string): void {
    if (!this.isPunct(text)) throw this.syntaxError();
    this.next();
  }

  expectKeyword(word: string): void {
    if (!this.isKeyword(word)) throw this.syntaxError();
    this.next();
  }

  /** DynamoDB quotes the offending token and the source from the token before it to the one after. */
  syntaxError(token: Token = this.peek()): ExpressionError {
    const index = this.tokens.indexOf(token);
    const prev = this.tokens[index - 1];
    const after = token.kind === 'eof' ? undefined : this.tokens[index + 1];
    const end = after?.end ?? (token.kind === 'eof' ? (prev?.end ?? token.end) : token.end);
    const near = this.source.slice(prev?.start ?? token.start, end);
    return this.error(`Syntax error; token: "${token.text}", near: "${near}"`);
  }

  error(detail: string): ExpressionError {
    return invalid(this.kind, detail);
  }

  /** Records a semantic error to throw once the expression has parsed (first one wins). */
  defer(detail: string): void {
    this.deferred ??= this.error(detail);
  }

  finish(): void {
    if (this.peek().kind !== 'eof') throw this.syntaxError();
    if (this.deferred) throw this.deferred;
  }

  atPathStart(): boolean {
    const t = this.peek();
    return t.kind === 'hash' || (t.kind === 'name' && !GRAMMAR_KEYWORDS.has(t.text.toUpperCase()));
  }

  parsePath(): PathNode {
    const elements: PathElement[] = [this.parsePathName()];
    for (;;) {
      if (this.isPunct('.')) {
        this.next();
        elements.push(this.parsePathName());
      } else if (this.isPunct('[')) {
        this.next();
        const t = this.next();
        if (t.kind !== 'number') throw this.syntaxError(t);
        elements.push({ kind: 'index', index: Number(t.text) });
        this.expectPunct(']');
      } else {
        return { type: 'path', elements };
      }
    }
  }

  private parsePathName(): PathElement {
    const t = this.peek();
    if (t.kind === 'hash') {
      this.next();
      const name = this.placeholders.names?.[t.text];
      if (name === undefined) {
        this.defer(`An expression attribute name used in the document path is not defined; attribute name: ${t.text}`);
        return { kind: 'name', name: t.text };
      }
      this.usedNames.add(t.text);
      return { kind: 'name', name };
    }
    if (t.kind !== 'name' || GRAMMAR_KEYWORDS.has(t.text.toUpperCase())) throw this.syntaxError();
    this.next();
    if (isReservedWord(t.text)) this.defer(`Attribute name is a reserved keyword; reserved keyword: ${t.text}`);
    return { kind: 'name', name: t.text };
  }

  parseValue(): ValueNode {
    const t = this.next();
    if (t.kind !== 'colon') throw this.syntaxError(t);
    const value = this.placeholders.values?.[t.text];
    if (value === undefined) {
      this.defer(`An expression attribute value used in expression is not defined; attribute value: ${t.text}`);
      return { type: 'value', placeholder: t.text, value: { NULL: true } };
    }
    this.usedValues.add(t.text);
    return { type: 'value', placeholder: t.text, value };
  }

  /** True when the cursor is on `name(`: a function call rather than a path. */
  atFunctionCall(): boolean {
    return this.peek().kind === 'name' && this.isPunct('(', 1);
  }

  /** `name(arg, ...)`: returns the function name and its raw argument operands. */
  parseCall(parseArg: () => Operand): { name: string; args: Operand[] } {
    const name = this.next().text;
    this.expectPunct('(');
    const args = [parseArg()];
    while (this.isPunct(',')) {
      this.next();
      args.push(parseArg());
    }
    this.expectPunct(')');
    return { name, args };
  }

  /** A path or a value placeholder: the leaves every operand grammar shares. */
  parseLeaf(): PathNode | ValueNode {
    if (this.peek().kind === 'colon') return this.parseValue();
    if (this.atPathStart()) return this.parsePath();
    throw this.syntaxError();
  }

  /** Checks a call's arity; DynamoDB reports the count it got. */
  checkArity(name: string, args: readonly Operand[], expected: number): boolean {
    if (args.length === expected) return true;
    this.defer(`Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`);
    return false;
  }

  requirePath(name: string, operand: Operand | undefined): operand is PathNode {
    if (operand?.type === 'path') return true;
    this.defer(`Operator or function requires a document path; operator or function: ${name}`);
    return false;
  }

  /** Rejects a call to a name that is not a function of this expression kind. */
  rejectFunction(name: string, allowed: readonly string[]): void {
    if (allowed.includes(name)) return;
    const known = [...BOOLEAN_FUNCTIONS, 'size', 'if_not_exists', 'list_append'] as readonly string[];
    if (!known.includes(name)) this.defer(`Invalid function name; function: ${name}`);
    else this.defer(`The function is not allowed to be used this way in an expression; function: ${name}`);
  }
}
