/**
 * Flattening an event straight from its JSON text, without building it. The text is read once,
 * left to right, following the path trie: a member whose key leads to no trie node is skipped by
 * `skipValue` (checked to be JSON, nothing allocated: a citylots event's coordinate arrays cost
 * one tight loop over their characters), and only the values on rule paths become leaves.
 *
 * The result is exactly `flattenEvent(parseEventText(text))`: strings are unescaped like
 * `JSON.parse`, numbers that are not exactly a double become `JsonNumber`, a duplicate key keeps
 * its last value, and `scan` returns false for text that is not JSON (the caller then parses it
 * the slow way to report the error with the usual wording).
 *
 * Concurrency: a scanner is reused from event to event (its stacks are kept, not reallocated);
 * one per matcher, used within one synchronous call.
 */
import type { ArrayChain, LeafBuffer } from './leaf-buffer.ts';
import { JsonNumber, exactDouble } from './number-text.ts';
import { childAt, type PathNode } from './path-trie.ts';
import { codeUnits } from './code-units.ts';
import { OBJECT_INSIDE, lastNumberDigits, lastStringEscaped, skipLiteral, skipNumber, skipScalar, skipString, skipValue, skipWs } from './json-skip.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** Decimal texts of at most this many digits and no exponent are always exactly a double. */
const EXACT_DIGITS = 15;

export class TextScanner {
  /** The text (values are sliced from it) and its code units (read by the scanning loops). */
  private text = '';
  private u: Uint16Array = new Uint16Array(0);
  private readonly out: LeafBuffer;
  private nextArray = 0;

  /**
   * The arrays open on the walk, outermost first: id, current element index, and that element's
   * `ArrayChain`, made only when a leaf inside needs it (most array elements hold no kept leaf).
   */
  private depth = 0;
  private readonly arrayIds: number[] = [];
  private readonly arrayIndex: number[] = [];
  private readonly chains: (ArrayChain | undefined)[] = [];

  /** Members on rule paths of the open objects (node, first leaf, end leaf), to drop a duplicate key's earlier value. */
  private memberCount = 0;
  private readonly memberNodes: PathNode[] = [];
  private readonly memberFirst: number[] = [];
  private readonly memberEnd: number[] = [];

  constructor(out: LeafBuffer) {
    this.out = out;
  }

  /** Flattens `text` along the rule paths of `root` into the buffer; false when the text is not JSON. */
  scan(text: string, root: PathNode): boolean {
    this.text = text;
    const u = (this.u = codeUnits(text));
    this.nextArray = 0;
    this.depth = 0;
    this.memberCount = 0;
    this.out.clear();
    let pos = this.value(root, 0);
    if (pos >= 0) pos = skipWs(u, pos);
    this.text = '';
    return pos === text.length;
  }

  private value(node: PathNode, pos: number): number {
    const u = this.u;
    let c = u[pos] as number;
    if (c <= 0x20) c = u[(pos = skipWs(u, pos))] as number;
    if (c === OPEN_BRACE) return this.object(node, pos);
    if (c === OPEN_BRACKET) return this.array(node, pos);
    if (node.id < 0) return skipScalar(u, pos);
    return this.leaf(node, c, pos);
  }

  private object(node: PathNode, pos: number): number {
    const text = this.text;
    const u = this.u;
    pos = skipWs(u, pos + 1);
    if (u[pos] === CLOSE_BRACE) return pos + 1;
    const members = this.memberCount;
    for (;;) {
      if (u[pos] !== QUOTE) return -1;
      const start = pos + 1;
      pos = skipString(u, pos);
      if (pos < 0) return -1;
      const escaped = lastStringEscaped;
      const end = pos - 1;
      if (u[pos] !== COLON && u[(pos = skipWs(u, pos))] !== COLON) return -1;
      pos++;
      const child = escaped ? node.byKey.get(unescape(text, start, end)) : childAt(node, u, text, start, end);
      if (child === undefined) pos = skipValue(u, pos);
      else {
        const first = this.out.length;
        pos = this.value(child, pos);
        if (pos >= 0) this.member(members, child, first);
      }
      if (pos < 0) return -1;
      let d = u[pos] as number;
      if (d <= 0x20) d = u[(pos = skipWs(u, pos))] as number;
      pos = skipWs(u, pos + 1);
      if (d === CLOSE_BRACE) {
        this.memberCount = members;
        return pos;
      }
      if (d !== COMMA) return -1;
    }
  }

  /**
   * Records the member just read (its leaves run from `first` to the buffer's end); when its key
   * came before in this object (entries from `members` on), drops the earlier value's leaves.
   */
  private member(members: number, child: PathNode, first: number): void {
    const out = this.out;
    let end = out.length;
    for (let i = members; i < this.memberCount; i++) {
      if (this.memberNodes[i] !== child) continue;
      const from = this.memberFirst[i] as number;
      const removed = (this.memberEnd[i] as number) - from;
      out.remove(from, removed);
      for (let j = i + 1; j < this.memberCount; j++) {
        this.memberNodes[j - 1] = this.memberNodes[j] as PathNode;
        this.memberFirst[j - 1] = (this.memberFirst[j] as number) - removed;
        this.memberEnd[j - 1] = (this.memberEnd[j] as number) - removed;
      }
      this.memberCount--;
      first -= removed;
      end -= removed;
      break;
    }
    // a member without leaves has nothing for a later duplicate to drop
    if (end === first) return;
    const k = this.memberCount++;
    this.memberNodes[k] = child;
    this.memberFirst[k] = first;
    this.memberEnd[k] = end;
  }

  private array(node: PathNode, pos: number): number {
    const u = this.u;
    if (node.id < 0) {
      // off a rule path, only an object inside can hold a leaf: without one, skip it in one loop
      const end = skipValue(u, pos, true);
      if (end !== OBJECT_INSIDE) return end;
    }
    pos = skipWs(u, pos + 1);
    if (u[pos] === CLOSE_BRACKET) return pos + 1;
    const level = this.depth++;
    this.arrayIds[level] = this.nextArray++;
    const kept = node.id >= 0;
    for (let index = 0; ; index++) {
      this.arrayIndex[level] = index;
      this.chains[level] = undefined;
      const c = u[pos] as number;
      // scalars off a rule path need no array membership: skip them without a call per element
      if (!kept && c !== OPEN_BRACE && c !== OPEN_BRACKET) pos = skipScalar(u, pos);
      else pos = this.value(node, pos);
      if (pos < 0) return -1;
      let d = u[pos] as number;
      if (d <= 0x20) d = u[(pos = skipWs(u, pos))] as number;
      pos = skipWs(u, pos + 1);
      if (d === CLOSE_BRACKET) {
        this.depth = level;
        return pos;
      }
      if (d !== COMMA) return -1;
    }
  }

  /** The chain of the array elements open at `depth` levels, made (and kept for the element) on first use. */
  private chainAt(depth: number): ArrayChain | undefined {
    if (depth === 0) return undefined;
    let chain = this.chains[depth - 1];
    if (chain === undefined) {
      chain = { array: this.arrayIds[depth - 1] as number, index: this.arrayIndex[depth - 1] as number, parent: this.chainAt(depth - 1) };
      this.chains[depth - 1] = chain;
    }
    return chain;
  }

  /** Reads the scalar at `pos` (first character `c`) as a leaf of `node`. */
  private leaf(node: PathNode, c: number, pos: number): number {
    const text = this.text;
    const u = this.u;
    const start = pos;
    if (c === QUOTE) {
      pos = skipString(u, pos);
      if (pos < 0) return -1;
      this.out.push(node.id, lastStringEscaped ? unescape(text, start + 1, pos - 1) : text.slice(start + 1, pos - 1), this.chainAt(this.depth));
      return pos;
    }
    if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      pos = skipNumber(u, pos);
      if (pos < 0) return -1;
      const lexeme = text.slice(start, pos);
      const digits = lastNumberDigits;
      let value: number | JsonNumber;
      if (digits >= 0 && digits <= EXACT_DIGITS) value = Number(lexeme);
      else value = exactDouble(lexeme) ?? new JsonNumber(lexeme);
      this.out.push(node.id, value, this.chainAt(this.depth));
      return pos;
    }
    pos = skipLiteral(u, pos);
    if (pos < 0) return -1;
    this.out.push(node.id, c === 0x74 ? true : c === 0x66 ? false : null, this.chainAt(this.depth));
    return pos;
  }
}

/** The value of string content `text[start, end)` (already checked by `skipString`). */
function unescape(text: string, start: number, end: number): string {
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
