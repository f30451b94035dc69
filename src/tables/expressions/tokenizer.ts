/**
 * Splits an expression into tokens. Never throws: a character that belongs to no token becomes an
 * `invalid` token, so the parser reports it as DynamoDB does (`Syntax error; token: "!"`).
 */
export type TokenKind =
  | 'name' // bare identifier: attribute name, keyword or function name
  | 'hash' // #placeholder
  | 'colon' // :placeholder
  | 'number' // digits, only meaningful as a list index
  | 'punct' // ( ) [ ] , . = <> < <= > >= + -
  | 'invalid'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;
const TWO_CHAR = new Set(['<>', '<=', '>=']);
const ONE_CHAR = new Set(['(', ')', '[', ']', ',', '.', '=', '<', '>', '+', '-']);

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const take = (pattern: RegExp, from: number): number => {
    let j = from;
    while (j < source.length && pattern.test(source[j] as string)) j++;
    return j;
  };
  while (i < source.length) {
    const c = source[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    let end: number;
    let kind: TokenKind;
    if (IDENT_START.test(c)) {
      kind = 'name';
      end = take(IDENT_PART, i + 1);
    } else if (c === '#' || c === ':') {
      kind = c === '#' ? 'hash' : 'colon';
      end = take(IDENT_PART, i + 1);
      // A lone '#' or ':' is not a placeholder.
      if (end === i + 1) kind = 'invalid';
    } else if (DIGIT.test(c)) {
      kind = 'number';
      end = take(DIGIT, i + 1);
    } else if (TWO_CHAR.has(source.slice(i, i + 2))) {
      kind = 'punct';
      end = i + 2;
    } else if (ONE_CHAR.has(c)) {
      kind = 'punct';
      end = i + 1;
    } else {
      kind = 'invalid';
      end = i + 1;
    }
    tokens.push({ kind, text: source.slice(i, end), start: i, end });
    i = end;
  }
  tokens.push({ kind: 'eof', text: '<EOF>', start: source.length, end: source.length });
  return tokens;
}
