/**
 * Moving past JSON text without building anything: the part of an event no rule reads (a
 * citylots feature's coordinate arrays are most of its bytes) is only checked to be JSON. The
 * text is read as code units (`codeUnits`: followed by zeros, which no rule of the grammar
 * accepts, so loops need no bounds checks). Every function takes the units and a position and
 * returns the position after what it read, or -1 when the text is not JSON there (no
 * exceptions: the scanner falls back to the slow parser, which reports the error). Values are
 * skipped by one loop with an explicit stack, not by recursion: no call per element and no
 * native stack per nesting level.
 */

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

/** `parseEventText`'s reader takes at most this many characters for one number. */
const MAX_NUMBER_TEXT = 4096;

const isHex = (c: number): boolean => (c >= ZERO && c <= NINE) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);

/** The position of the first non-whitespace unit at or after `pos`. */
export function skipWs(u: Uint16Array, pos: number): number {
  for (;;) {
    const c = u[pos] as number;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
    else return pos;
  }
}

/** Set by `skipString`: whether the string just skipped holds a backslash escape. */
export let lastStringEscaped = false;

/** Moves past a string whose opening quote is at `pos`. */
export function skipString(u: Uint16Array, pos: number): number {
  let escaped = false;
  pos++;
  for (;;) {
    const c = u[pos] as number;
    if (c === QUOTE) break;
    if (c < 0x20) return -1; // (also the zeros after the text: an unterminated string)
    if (c === BACKSLASH) {
      escaped = true;
      const e = u[pos + 1] as number;
      if (e === 0x75) {
        // \uXXXX
        if (!isHex(u[pos + 2] as number) || !isHex(u[pos + 3] as number) || !isHex(u[pos + 4] as number) || !isHex(u[pos + 5] as number)) return -1;
        pos += 6;
        continue;
      }
      // " \ / b f n r t
      if (e !== QUOTE && e !== BACKSLASH && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) return -1;
      pos += 2;
      continue;
    }
    pos++;
  }
  lastStringEscaped = escaped;
  return pos + 1;
}

/**
 * Set by `skipNumber`: the number's digit count, or -1 when it has an exponent (whether its text
 * is certainly exactly a double follows from that).
 */
export let lastNumberDigits = 0;

/** Moves past a number starting at `pos` (a minus sign or a digit). */
export function skipNumber(u: Uint16Array, pos: number): number {
  const start = pos;
  if (u[pos] === MINUS) pos++;
  const intStart = pos;
  let c = u[pos] as number;
  if (c === ZERO) c = u[++pos] as number;
  else if (c > ZERO && c <= NINE) {
    do c = u[++pos] as number;
    while (c >= ZERO && c <= NINE);
  } else return -1;
  let digits = pos - intStart;
  if (c === DOT) {
    const fracStart = ++pos;
    c = u[pos] as number;
    while (c >= ZERO && c <= NINE) c = u[++pos] as number;
    if (pos === fracStart) return -1;
    digits += pos - fracStart;
  }
  if (c === 0x65 || c === 0x45) {
    c = u[++pos] as number;
    if (c === 0x2b || c === MINUS) c = u[++pos] as number;
    const expStart = pos;
    while (c >= ZERO && c <= NINE) c = u[++pos] as number;
    if (pos === expStart) return -1;
    digits = -1;
  }
  if (pos - start > MAX_NUMBER_TEXT) return -1;
  lastNumberDigits = digits;
  return pos;
}

/** Moves past `true`, `false` or `null` starting at `pos`. */
export function skipLiteral(u: Uint16Array, pos: number): number {
  const c = u[pos];
  if (c === 0x74) return u[pos + 1] === 0x72 && u[pos + 2] === 0x75 && u[pos + 3] === 0x65 ? pos + 4 : -1;
  if (c === 0x66) return u[pos + 1] === 0x61 && u[pos + 2] === 0x6c && u[pos + 3] === 0x73 && u[pos + 4] === 0x65 ? pos + 5 : -1;
  if (c === 0x6e) return u[pos + 1] === 0x75 && u[pos + 2] === 0x6c && u[pos + 3] === 0x6c ? pos + 4 : -1;
  return -1;
}

/** Moves past a string, number or literal starting at `pos` (whitespace already skipped). */
export function skipScalar(u: Uint16Array, pos: number): number {
  const c = u[pos] as number;
  if (c === QUOTE) return skipString(u, pos);
  if (c === MINUS || (c >= ZERO && c <= NINE)) return skipNumber(u, pos);
  return skipLiteral(u, pos);
}

/** Moves past an object key and its colon, the key's quote at or after `pos`; returns the value's position. */
function skipKey(u: Uint16Array, pos: number): number {
  if (u[pos] !== QUOTE && u[(pos = skipWs(u, pos))] !== QUOTE) return -1;
  pos = skipString(u, pos);
  if (pos < 0) return -1;
  if (u[pos] === COLON) return pos + 1;
  pos = skipWs(u, pos);
  return u[pos] === COLON ? pos + 1 : -1;
}

/** Open containers while skipping: 1 = object, 0 = array; shared, grown on demand. */
let stack = new Uint8Array(64);

/** What `skipValue` returns, with `stopAtObject`, when it meets an object. */
export const OBJECT_INSIDE = -2;

/**
 * Moves past any JSON value at or after `pos` (leading whitespace included). With
 * `stopAtObject`, returns OBJECT_INSIDE on meeting an object instead (an array off every rule path
 * can only hold a leaf on one inside an object, so the scanner skips arrays without objects here
 * and walks the others).
 */
export function skipValue(u: Uint16Array, pos: number, stopAtObject = false): number {
  let depth = 0;
  for (;;) {
    // a value is expected at pos
    let c = u[pos] as number;
    if (c <= 0x20) c = u[(pos = skipWs(u, pos))] as number;
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      const object = c === OPEN_BRACE;
      if (object && stopAtObject) return OBJECT_INSIDE;
      pos = skipWs(u, pos + 1);
      if (u[pos] === (object ? CLOSE_BRACE : CLOSE_BRACKET)) pos++;
      else {
        if (depth === stack.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(stack);
          stack = grown;
        }
        stack[depth++] = object ? 1 : 0;
        if (object && (pos = skipKey(u, pos)) < 0) return -1;
        continue;
      }
    } else if ((pos = skipScalar(u, pos)) < 0) return -1;
    // after a value: a comma continues the innermost container, a bracket closes it
    for (;;) {
      if (depth === 0) return pos;
      let d = u[pos] as number;
      if (d <= 0x20) d = u[(pos = skipWs(u, pos))] as number;
      pos++;
      const object = stack[depth - 1] === 1;
      if (d === COMMA) {
        if (object && (pos = skipKey(u, pos)) < 0) return -1;
        break;
      }
      if (d !== (object ? CLOSE_BRACE : CLOSE_BRACKET)) return -1;
      depth--;
    }
  }
}
