/**
 * Numbers as event-ruler sees them. A JSON number is compared *numerically* only when its decimal
 * text denotes exactly the double it parses to (event-ruler checks
 * `BigDecimal.valueOf(double).compareTo(text) == 0`); otherwise it is only matched by its text.
 * JS `JSON.parse` loses that distinction, so raw texts are parsed into `JsonNumber` when inexact.
 */

/** A JSON number whose text is not exactly a double (or is out of double range). */
export class JsonNumber {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Canonical form of a decimal text's value: `-digits e exp`, no leading/trailing zeros. */
function decimalKey(text: string): string | undefined {
  const m = DECIMAL.exec(text);
  if (m === null) return undefined;
  const frac = m[3] ?? '';
  let digits = (m[2] ?? '') + frac;
  let exp = Number(m[4] ?? '0') - frac.length;
  digits = digits.replace(/^0+/, '');
  if (digits === '') return '0';
  const trimmed = digits.replace(/0+$/, '');
  exp += digits.length - trimmed.length;
  return `${m[1] ?? ''}${trimmed}e${exp}`;
}

/** The double a number text denotes, or undefined when the text is not exactly that double. */
export function exactDouble(text: string): number | undefined {
  const n = Number(text);
  if (!Number.isFinite(n)) return undefined;
  // String(n) is the shortest text that round-trips, the same value Java's Double.toString gives.
  const key = decimalKey(text);
  return key !== undefined && key === decimalKey(String(n)) ? n : undefined;
}

/** A number value as the matchers see it: its lexical text and, when exact, its double. */
export interface NumberValue {
  readonly text: string;
  readonly value: number | undefined;
}

export function numberValue(v: number | JsonNumber): NumberValue {
  return typeof v === 'number' ? { text: String(v), value: Number.isFinite(v) ? v : undefined } : { text: v.text, value: undefined };
}
