/**
 * A small JSON reader that keeps what `JSON.parse` throws away and the pattern language needs:
 * object members in order *with duplicates* (patterns are validated member by member, then the last
 * duplicate wins, as in AWS) and the text of every number. Syntax errors carry the wording of
 * Jackson, the parser behind EventBridge, because AWS shows it as the pattern error's reason.
 */
import { JsonNumber, exactDouble } from './number-text.ts';

export type JsonNode =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'literal'; readonly value: boolean | null }
  | { readonly type: 'array'; readonly items: readonly JsonNode[] }
  | { readonly type: 'object'; readonly members: readonly (readonly [string, JsonNode])[] };

export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError';
}

const VALUE_EXPECTED = "(JSON String, Number, Array, Object or token 'null', 'true' or 'false')";

function describe(ch: string): string {
  return `'${ch}' (code ${ch.codePointAt(0) ?? 0})`;
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonNode {
    const node = this.value();
    this.ws();
    if (this.pos < this.text.length) {
      throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): expected end of input`);
    }
    return node;
  }

  private peekChar(): string {
    return String.fromCodePoint(this.text.codePointAt(this.pos) ?? 0);
  }

  private ws(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else break;
    }
  }

  private endOfInput(what: string): never {
    throw new JsonSyntaxError(`Unexpected end-of-input: ${what}`);
  }

  private value(): JsonNode {
    this.ws();
    if (this.pos >= this.text.length) this.endOfInput(`expected a value ${VALUE_EXPECTED}`);
    const c = this.text[this.pos] ?? '';
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return { type: 'string', value: this.string() };
    if (c === '-' || (c >= '0' && c <= '9')) return { type: 'number', text: this.number() };
    const word = /^[A-Za-z0-9_$]+/.exec(this.text.slice(this.pos))?.[0];
    if (word === 'true' || word === 'false' || word === 'null') {
      this.pos += word.length;
      return { type: 'literal', value: word === 'null' ? null : word === 'true' };
    }
    if (word !== undefined) {
      throw new JsonSyntaxError(`Unrecognized token '${word}': was expecting ${VALUE_EXPECTED}`);
    }
    throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): expected a valid value ${VALUE_EXPECTED}`);
  }

  private object(): JsonNode {
    this.pos++; // {
    const members: (readonly [string, JsonNode])[] = [];
    this.ws();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return { type: 'object', members };
    }
    for (;;) {
      this.ws();
      if (this.pos >= this.text.length) this.endOfInput('expected close marker for Object');
      if (this.text[this.pos] !== '"') {
        throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): was expecting double-quote to start field name`);
      }
      const key = this.string();
      this.ws();
      if (this.text[this.pos] !== ':') {
        if (this.pos >= this.text.length) this.endOfInput('expected close marker for Object');
        throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): was expecting a colon to separate field name and value`);
      }
      this.pos++;
      members.push([key, this.value()]);
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === '}') {
        this.pos++;
        return { type: 'object', members };
      }
      if (c === undefined) this.endOfInput('expected close marker for Object');
      throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): was expecting comma to separate Object entries`);
    }
  }

  private array(): JsonNode {
    this.pos++; // [
    const items: JsonNode[] = [];
    this.ws();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return { type: 'array', items };
    }
    for (;;) {
      items.push(this.value());
      this.ws();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
        continue;
      }
      if (c === ']') {
        this.pos++;
        return { type: 'array', items };
      }
      if (c === undefined) this.endOfInput('expected close marker for Array');
      throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): was expecting comma to separate Array entries`);
    }
  }

  private number(): string {
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 4096));
    if (m === null || m[0] === '-') {
      throw new JsonSyntaxError(`Unexpected character (${describe(this.peekChar())}): expected a valid value ${VALUE_EXPECTED}`);
    }
    this.pos += m[0].length;
    return m[0];
  }

  private string(): string {
    this.pos++; // opening quote
    let out = '';
    let start = this.pos;
    for (;;) {
      if (this.pos >= this.text.length) this.endOfInput('was expecting closing quote for a string value');
      const c = this.text.charCodeAt(this.pos);
      if (c === 0x22) {
        out += this.text.slice(start, this.pos);
        this.pos++;
        return out;
      }
      if (c < 0x20) {
        throw new JsonSyntaxError(`Illegal unquoted character (CTRL-CHAR, code ${c}): has to be escaped using backslash to be included in string value`);
      }
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += this.text.slice(start, this.pos);
      const e = this.text[this.pos + 1];
      this.pos += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = this.text.slice(this.pos, this.pos + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
            throw new JsonSyntaxError('Unexpected character: expected a hex-digit for character escape sequence');
          }
          out += String.fromCharCode(parseInt(hex, 16));
          this.pos += 4;
          break;
        }
        default:
          throw new JsonSyntaxError(`Unrecognized character escape ${describe(e ?? '')}`);
      }
      start = this.pos;
    }
  }
}

/** Parses JSON text into nodes (members in order, duplicates kept, number texts kept). */
export function parseJsonNodes(text: string): JsonNode {
  return new Reader(text).parseDocument();
}

/**
 * Parses an event's JSON text into plain values: numbers that are exactly a double become JS
 * numbers, the others `JsonNumber` (matched by text only, as in event-ruler); duplicate keys: last
 * wins, like `JSON.parse`.
 */
export function parseEventText(text: string): unknown {
  return toPlain(parseJsonNodes(text));
}

function toPlain(node: JsonNode): unknown {
  switch (node.type) {
    case 'string':
    case 'literal':
      return node.value;
    case 'number': {
      const exact = exactDouble(node.text);
      return exact === undefined ? new JsonNumber(node.text) : exact;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [key, value] of node.members) {
        // defineProperty so that a "__proto__" member stays an ordinary field
        Object.defineProperty(out, key, { value: toPlain(value), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
  }
}
