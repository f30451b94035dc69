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

export function equalsIgnoreCase(pattern: string, text: string): boolean {
  return matchEnds([...pattern], text, 0).has(text.length);
}

export function startsWithIgnoreCase(text: string, prefix: string): boolean {
  return matchEnds([...prefix], text, 0).size > 0;
}

export function endsWithIgnoreCase(text: string, suffix: string): boolean {
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
  let out = '';
  for (const ch of text) {
    for (const u of ch.toUpperCase()) out += u.toLowerCase();
  }
  return out;
}
