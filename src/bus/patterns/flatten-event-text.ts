/**
 * Flattening an event straight from its JSON text, without building it. The text is read once,
 * left to right: members whose path no rule uses are skipped (still checked to be JSON, but
 * nothing is allocated for them: a citylots event's coordinate arrays cost one pass over their
 * characters), and only the leaves on rule paths become values.
 *
 * The result is exactly `flattenEvent(parseEventText(text))`: strings are unescaped like
 * `JSON.parse`, numbers that are not exactly a double become `JsonNumber`, a duplicate key keeps
 * its last value, and `undefined` is returned for text that is not JSON (the caller then parses
 * it the slow way to report the error with the usual wording).
 */
import type { ArrayChain, FlatEvent, FlatLeaf } from './flatten-event.ts';
import type { Leaf } from './leaf.ts';
import { JsonNumber, exactDouble } from './number-text.ts';
import { childAt, type PathNode } from './path-trie.ts';

/** Thrown inside the scanner on malformed text; never escapes this module. */
const MALFORMED = Symbol('malformed JSON');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

const isDigit = (c: number): boolean => c >= ZERO && c <= NINE;
const isHex = (c: number): boolean => (c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

const MAX_NUMBER_TEXT = 4096;

/** Decimal texts of at most this many digits and no exponent are always exactly a double. */
const EXACT_DIGITS = 15;

class Scanner {
  pos = 0;
  nextArray = 0;
  readonly leaves: FlatLeaf[] = [];

  constructor(private readonly text: string) {}

  ws(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  /** Reads the character at the cursor (after whitespace); NaN at the end. */
  peek(): number {
    this.ws();
    return this.text.charCodeAt(this.pos);
  }

  expect(c: number): void {
    if (this.peek() !== c) throw MALFORMED;
    this.pos++;
  }

  value(node: PathNode, arrays: ArrayChain | undefined): void {
    const c = this.peek();
    if (c === OPEN_BRACE) this.object(node, arrays);
    else if (c === OPEN_BRACKET) this.array(node, arrays);
    else if (!node.keep) this.skipScalar(c);
    else this.leaf(node, this.scalar(c), arrays);
  }

  leaf(node: PathNode, value: Leaf, arrays: ArrayChain | undefined): void {
    this.leaves.push({ path: node.path, value, arrays });
  }

  object(node: PathNode, arrays: ArrayChain | undefined): void {
    this.pos++; // {
    if (this.peek() === CLOSE_BRACE) {
      this.pos++;
      return;
    }
    // (child, first leaf, end leaf) per member on a rule path, to drop a duplicate key's earlier value
    let members: (PathNode | number)[] | undefined;
    for (;;) {
      if (this.peek() !== QUOTE) throw MALFORMED;
      const start = this.pos + 1;
      const escaped = this.skipString();
      const end = this.pos - 1;
      this.expect(COLON);
      const child = escaped ? node.byKey.get(this.unescape(start, end)) : childAt(node, this.text, start, end);
      if (child === undefined) this.skipValue();
      else {
        const first = this.leaves.length;
        this.value(child, arrays);
        members = this.member(members, child, first, this.leaves.length);
      }
      const c = this.peek();
      this.pos++;
      if (c === CLOSE_BRACE) return;
      if (c !== COMMA) throw MALFORMED;
    }
  }

  /** Records a member's leaves; when its key came before in the object, drops the earlier leaves. */
  member(members: (PathNode | number)[] | undefined, child: PathNode, first: number, end: number): (PathNode | number)[] {
    if (members === undefined) return [child, first, end];
    for (let i = 0; i < members.length; i += 3) {
      if (members[i] !== child) continue;
      const from = members[i + 1] as number;
      const removed = (members[i + 2] as number) - from;
      this.leaves.splice(from, removed);
      members.splice(i, 3);
      for (let j = i; j < members.length; j += 3) {
        members[j + 1] = (members[j + 1] as number) - removed;
        members[j + 2] = (members[j + 2] as number) - removed;
      }
      first -= removed;
      end -= removed;
      break;
    }
    members.push(child, first, end);
    return members;
  }

  array(node: PathNode, arrays: ArrayChain | undefined): void {
    this.pos++; // [
    if (this.peek() === CLOSE_BRACKET) {
      this.pos++;
      return;
    }
    const array = this.nextArray++;
    for (let index = 0; ; index++) {
      const c = this.peek();
      // scalars off a rule path need no array membership: skip them without allocating it
      if (!node.keep && c !== OPEN_BRACE && c !== OPEN_BRACKET) this.skipScalar(c);
      else this.value(node, { array, index, parent: arrays });
      const d = this.peek();
      this.pos++;
      if (d === CLOSE_BRACKET) return;
      if (d !== COMMA) throw MALFORMED;
    }
  }

  // ---- values off every rule path: checked, not kept ------------------------------------------

  skipValue(): void {
    const c = this.peek();
    if (c === OPEN_BRACE) {
      this.pos++;
      if (this.peek() === CLOSE_BRACE) {
        this.pos++;
        return;
      }
      for (;;) {
        if (this.peek() !== QUOTE) throw MALFORMED;
        this.skipString();
        this.expect(COLON);
        this.skipValue();
        const d = this.peek();
        this.pos++;
        if (d === CLOSE_BRACE) return;
        if (d !== COMMA) throw MALFORMED;
      }
    } else if (c === OPEN_BRACKET) {
      this.pos++;
      if (this.peek() === CLOSE_BRACKET) {
        this.pos++;
        return;
      }
      for (;;) {
        this.skipValue();
        const d = this.peek();
        this.pos++;
        if (d === CLOSE_BRACKET) return;
        if (d !== COMMA) throw MALFORMED;
      }
    } else this.skipScalar(c);
  }

  skipScalar(c: number): void {
    if (c === QUOTE) this.skipString();
    else if (c === MINUS || isDigit(c)) this.skipNumber();
    else this.literal(c);
  }

  /** Moves past a string (cursor on its opening quote); returns whether it holds escapes. */
  skipString(): boolean {
    const text = this.text;
    const length = text.length;
    let pos = this.pos + 1;
    let escaped = false;
    for (;;) {
      if (pos >= length) throw MALFORMED;
      const c = text.charCodeAt(pos);
      if (c === QUOTE) break;
      if (c < 0x20) throw MALFORMED;
      if (c === BACKSLASH) {
        escaped = true;
        const e = text.charCodeAt(pos + 1);
        if (e === 0x75) {
          // \uXXXX
          for (let k = 2; k < 6; k++) if (!isHex(text.charCodeAt(pos + k))) throw MALFORMED;
          pos += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) throw MALFORMED;
        pos += 2;
        continue;
      }
      pos++;
    }
    this.pos = pos + 1;
    return escaped;
  }

  /**
   * Moves past a number; returns its digit count, or -1 when it has an exponent (the caller
   * decides from that whether the text is certainly exactly a double).
   */
  skipNumber(): number {
    const text = this.text;
    const start = this.pos;
    let pos = start;
    if (text.charCodeAt(pos) === MINUS) pos++;
    const intStart = pos;
    const first = text.charCodeAt(pos);
    if (first === ZERO) pos++;
    else if (isDigit(first)) while (isDigit(text.charCodeAt(pos))) pos++;
    else throw MALFORMED;
    let digits = pos - intStart;
    if (text.charCodeAt(pos) === DOT) {
      const fracStart = ++pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (pos === fracStart) throw MALFORMED;
      digits += pos - fracStart;
    }
    const e = text.charCodeAt(pos);
    if (e === 0x65 || e === 0x45) {
      pos++;
      const sign = text.charCodeAt(pos);
      if (sign === 0x2b || sign === MINUS) pos++;
      const expStart = pos;
      while (isDigit(text.charCodeAt(pos))) pos++;
      if (pos === expStart) throw MALFORMED;
      digits = -1;
    }
    // parseEventText's reader takes at most this many characters for one number
    if (pos - start > MAX_NUMBER_TEXT) throw MALFORMED;
    this.pos = pos;
    return digits;
  }

  /** Reads `true`, `false` or `null` (the next character is checked by the caller's grammar). */
  literal(c: number): boolean | null {
    const text = this.text;
    const pos = this.pos;
    if (c === 0x74 && text.startsWith('true', pos)) {
      this.pos += 4;
      return true;
    }
    if (c === 0x66 && text.startsWith('false', pos)) {
      this.pos += 5;
      return false;
    }
    if (c === 0x6e && text.startsWith('null', pos)) {
      this.pos += 4;
      return null;
    }
    throw MALFORMED;
  }

  // ---- values on a rule path ------------------------------------------------------------------

  scalar(c: number): Leaf {
    if (c === QUOTE) {
      const start = this.pos + 1;
      const escaped = this.skipString();
      return escaped ? this.unescape(start, this.pos - 1) : this.text.slice(start, this.pos - 1);
    }
    if (c === MINUS || isDigit(c)) {
      const start = this.pos;
      const digits = this.skipNumber();
      const lexeme = this.text.slice(start, this.pos);
      if (digits >= 0 && digits <= EXACT_DIGITS) return Number(lexeme);
      const exact = exactDouble(lexeme);
      return exact === undefined ? new JsonNumber(lexeme) : exact;
    }
    return this.literal(c);
  }

  /** The value of string content `text[start, end)` (already checked by `skipString`). */
  unescape(start: number, end: number): string {
    const text = this.text;
    let out = '';
    let from = start;
    for (let pos = start; pos < end; ) {
      if (text.charCodeAt(pos) !== BACKSLASH) {
        pos++;
        continue;
      }
      out += text.slice(from, pos);
      const e = text[pos + 1];
      if (e === 'u') {
        out += String.fromCharCode(parseInt(text.slice(pos + 2, pos + 6), 16));
        pos += 6;
      } else {
        out += e === 'b' ? '\b' : e === 'f' ? '\f' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : (e ?? '');
        pos += 2;
      }
      from = pos;
    }
    return out + text.slice(from, end);
  }
}

/** Flattens the event text along the rule paths of `root`; undefined when the text is not JSON. */
export function flattenEventText(text: string, root: PathNode): FlatEvent | undefined {
  const scanner = new Scanner(text);
  try {
    scanner.value(root, undefined);
    scanner.ws();
    if (scanner.pos !== text.length) return undefined;
  } catch (error) {
    if (error === MALFORMED) return undefined;
    throw error;
  }
  const leaves = scanner.leaves;
  const byPath = new Map<string, number[]>();
  for (let i = 0; i < leaves.length; i++) {
    const path = (leaves[i] as FlatLeaf).path;
    const list = byPath.get(path);
    if (list === undefined) byPath.set(path, [i]);
    else list.push(i);
  }
  return { leaves, byPath };
}
