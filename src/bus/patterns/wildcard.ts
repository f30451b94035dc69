/**
 * The `wildcard` operator: `*` matches any run of characters (also none), `\*` is a literal star
 * and `\\` a literal backslash. Parsing reports event-ruler's errors, and a complexity guard stands
 * in for the (unpublished) limit EventBridge adds on top of event-ruler.
 */
import { PatternError } from './pattern-error.ts';

/** Literal segments between stars: `a*b*` is `['a', 'b', '']`; a pattern without star has one. */
export interface Wildcard {
  readonly source: string;
  readonly segments: readonly string[];
}

export const TOO_COMPLEX =
  'Rule is too complex - try using fewer wildcard characters or fewer repeating character sequences after a wildcard character';

/**
 * How many NFA states (counted by `wildcardComplexity`) a worst-case event may keep alive at once
 * before a pattern is refused. AWS does not publish its threshold. On this measure AWS accepted
 * the repeating `/Users/(star)/dir/dir/dir/dir/dir/doc.txt` (8) and every other pattern on record
 * (<= 8) and refused `(star):(star):(star):(star):(star):event-bus/(star)` (13); 10 sits between.
 */
export const MAX_WILDCARD_COMPLEXITY = 10;

export function parseWildcard(source: string): Wildcard {
  const segments: string[] = [];
  let current = '';
  let lastWasStar = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      const next = source[i + 1];
      if (next !== '*' && next !== '\\') throw new PatternError(`Invalid escape character at pos ${i + 1}`);
      current += next;
      i++;
      lastWasStar = false;
    } else if (c === '*') {
      if (lastWasStar) throw new PatternError(`Consecutive wildcard characters at pos ${i}`);
      segments.push(current);
      current = '';
      lastWasStar = true;
    } else {
      current += c;
      lastWasStar = false;
    }
  }
  segments.push(current);
  const wildcard = { source, segments };
  if (wildcardComplexity(wildcard) > MAX_WILDCARD_COMPLEXITY) throw new PatternError(TOO_COMPLEX);
  return wildcard;
}

export function wildcardMatches(w: Wildcard, text: string): boolean {
  const segs = w.segments;
  const first = segs[0] ?? '';
  if (segs.length === 1) return text === first;
  const last = segs[segs.length - 1] ?? '';
  if (text.length < first.length + last.length) return false;
  if (!text.startsWith(first) || !text.endsWith(last)) return false;
  // Greedy leftmost placement of the middle segments is optimal when every gap is a star.
  let pos = first.length;
  const end = text.length - last.length;
  for (let i = 1; i < segs.length - 1; i++) {
    const seg = segs[i] ?? '';
    const at = text.indexOf(seg, pos);
    if (at < 0 || at + seg.length > end) return false;
    pos = at + seg.length;
  }
  return true;
}

/**
 * The largest number of simultaneously live states of the pattern's NFA (a state = a position in
 * the pattern, stars being self-loops) over any input, found by exploring the subset construction
 * over the pattern's own characters plus one "other" character.
 */
export function wildcardComplexity(w: Wildcard): number {
  // positions: for each segment char a state; a star state sits between segments
  type Item = { readonly star: boolean; readonly ch: string };
  const items: Item[] = [];
  w.segments.forEach((seg, i) => {
    if (i > 0) items.push({ star: true, ch: '' });
    for (const ch of seg) items.push({ star: false, ch });
  });
  const closure = (states: Set<number>): Set<number> => {
    // a star can be skipped (matches the empty run)
    const out = new Set<number>();
    for (let s of states) {
      out.add(s);
      while (items[s]?.star === true) out.add(++s);
    }
    return out;
  };
  const alphabet = [...new Set(items.filter((i) => !i.star).map((i) => i.ch)), '\u0000'];
  const key = (s: Set<number>): string => [...s].sort((a, b) => a - b).join(',');
  const start = closure(new Set([0]));
  const seen = new Set([key(start)]);
  const queue = [start];
  let max = start.size;
  while (queue.length > 0 && seen.size < 10_000) {
    const states = queue.pop() ?? new Set<number>();
    for (const ch of alphabet) {
      const next = new Set<number>();
      for (const s of states) {
        const item = items[s];
        if (item === undefined) continue;
        if (item.star) next.add(s);
        else if (item.ch === ch) next.add(s + 1);
      }
      const closed = closure(next);
      const k = key(closed);
      if (closed.size === 0 || seen.has(k)) continue;
      seen.add(k);
      max = Math.max(max, closed.size);
      queue.push(closed);
    }
  }
  return max;
}
