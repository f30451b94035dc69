/**
 * Case-insensitive comparison the way event-ruler does it: each character of the pattern may
 * appear in the event as itself, its lower-case form or its upper-case form (root locale), and
 * those forms can be longer than one character (`ß` upper-cases to `SS`). This is *not* Unicode
 * case folding: `STRASSE` does not match `straße`.
 */

const alternativesCache = new Map<string, readonly string[]>();

function alternatives(ch: string): readonly string[] {
  let alts = alternativesCache.get(ch);
  if (alts === undefined) {
    alts = [...new Set([ch, ch.toLowerCase(), ch.toUpperCase()])];
    alternativesCache.set(ch, alts);
  }
  return alts;
}

/** The positions in `text` where a case-insensitive match of `pattern` that starts at `start` ends. */
function matchEnds(pattern: readonly string[], text: string, start: number): Set<number> {
  let positions = new Set([start]);
  for (const ch of pattern) {
    const next = new Set<number>();
    for (const pos of positions) {
      for (const alt of alternatives(ch)) {
        if (text.startsWith(alt, pos)) next.add(pos + alt.length);
      }
    }
    if (next.size === 0) return next;
    positions = next;
  }
  return positions;
}

export function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) return false;
  return true;
}

/**
 * Whether `text` holds the ASCII pattern `pattern` at `start`, ignoring case. For an ASCII pattern
 * character the three forms are ASCII and one unit long, so the general search reduces to this
 * comparison unit by unit (a non-ASCII unit of the text never matches).
 */
function asciiAt(pattern: string, text: string, start: number): boolean {
  if (start < 0 || start + pattern.length > text.length) return false;
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern.charCodeAt(i);
    const t = text.charCodeAt(start + i);
    if (p === t) continue;
    const lower = p | 0x20;
    if (lower < 0x61 || lower > 0x7a || (t | 0x20) !== lower) return false;
  }
  return true;
}

export function equalsIgnoreCase(pattern: string, text: string): boolean {
  if (isAscii(pattern)) return pattern.length === text.length && asciiAt(pattern, text, 0);
  return matchEnds([...pattern], text, 0).has(text.length);
}

export function startsWithIgnoreCase(text: string, prefix: string): boolean {
  if (isAscii(prefix)) return asciiAt(prefix, text, 0);
  return matchEnds([...prefix], text, 0).size > 0;
}

export function endsWithIgnoreCase(text: string, suffix: string): boolean {
  if (isAscii(suffix)) return asciiAt(suffix, text, text.length - suffix.length);
  const chars = [...suffix];
  for (let start = text.length; start >= 0; start--) {
    if (matchEnds(chars, text, start).has(text.length)) return true;
  }
  return false;
}

/**
 * A key such that a case-insensitive match implies equal keys (per character: lower-case of the
 * upper-case form). The compiled matcher indexes by it and then confirms with the functions above,
 * so the key only has to be coarse, never finer than the comparison.
 */
export function foldCase(text: string): string {
  // (ASCII: the upper-case form of a unit is one unit, whose lower-case form is the unit's own)
  if (isAscii(text)) return text.toLowerCase();
  let out = '';
  for (const ch of text) {
    for (const u of ch.toUpperCase()) out += u.toLowerCase();
  }
  return out;
}
