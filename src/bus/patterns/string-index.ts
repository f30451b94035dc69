/**
 * Every string-valued condition on one field path, plain and anything-but alike (exact, prefix,
 * suffix, their case-insensitive forms, wildcards), compiled into four tries that one string value
 * walks once each: forward and backward over its code units, and forward and backward over its
 * case-folded units. Each trie reports codes; a code is what a hit means:
 *
 * - SLOT: the value satisfies a plain condition (a slot, see compile-rules.ts);
 * - BUT: the value is excluded by an anything-but condition (its id in the field index);
 * - CHECK / CHECK_UNLESS_ASCII: a candidate to confirm first (an entry: wildcards, whose literal
 *   head or tail only narrows them, and case-insensitive forms), which then stands for its SLOT or
 *   BUT target. Case-insensitive keys are `foldCase`d; a folded key only narrows the candidates,
 *   except when both the value and the condition are ASCII (CHECK_UNLESS_ASCII): then equal
 *   folded keys are the answer.
 *
 * Wildcards starting and ending with a star are candidates for every value of the field: the one
 * place where per-value work grows with the number of rules.
 *
 * The owner can attach an answer to an exact key (`setAnswer`): a value equal to it stops after
 * the forward walk, which recognises it, and `query` returns the answer instead of reporting.
 *
 * Concurrency: built once, then only queried; `query` uses a scratch list of the index, so it
 * serves one query at a time (matching is synchronous).
 */
import { endsWithIgnoreCase, equalsIgnoreCase, foldCase, isAscii, startsWithIgnoreCase } from './ignore-case.ts';
import { IdList } from './id-list.ts';
import { NOT_ASCII, StringTrie, UNTAGGED, reverse } from './string-trie.ts';
import { wildcardMatches, type Wildcard } from './wildcard.ts';

/** Counters for the work one event costs; see `MatchStats` in compile-rules.ts. */
export interface IndexStats {
  valueMatcherVisits: number;
  slotsEmitted: number;
}

const SLOT = 0;
const BUT = 1;
const CHECK = 2;
const CHECK_UNLESS_ASCII = 3;

/** The code reporting a plain condition's slot. */
export const slotCode = (slot: number): number => slot * 4 + SLOT;
/** The code reporting that the value is excluded by anything-but condition `id`. */
export const butCode = (id: number): number => id * 4 + BUT;

const EQUALS_IC = 0;
const PREFIX_IC = 1;
const SUFFIX_IC = 2;
const WILDCARD = 3;

interface Entry {
  readonly test: number;
  readonly text: string;
  readonly wildcard: Wildcard | undefined;
  /** The SLOT or BUT code the entry stands for once confirmed. */
  readonly target: number;
}

export class StringIndex {
  private readonly forward = new StringTrie();
  private readonly backward = new StringTrie();
  private readonly forwardFolded = new StringTrie();
  private readonly backwardFolded = new StringTrie();
  /** Wildcards with neither literal head nor tail: CHECK codes for every value. */
  private readonly unanchored: number[] = [];
  private readonly entries: Entry[] = [];
  /** Scratch: the codes one value collects (queries never nest). */
  private readonly codes = new IdList();
  private count = 0;
  /** The keys a value can equal exactly (exact strings, anything-but values, wildcards without star). */
  private readonly exact = new Set<string>();

  get size(): number {
    return this.count;
  }

  /** The keys a value can equal exactly (the forward trie's whole keys), for `setAnswer`. */
  get exactKeys(): ReadonlySet<string> {
    return this.exact;
  }

  addExact(value: string, target: number): void {
    this.forward.add(value, target, false);
    this.exact.add(value);
    this.count++;
  }

  addPrefix(value: string, ignoreCase: boolean, target: number): void {
    if (ignoreCase) this.forwardFolded.add(foldCase(value), this.entry(PREFIX_IC, value, undefined, target), true);
    else this.forward.add(value, target, true);
    this.count++;
  }

  addSuffix(value: string, ignoreCase: boolean, target: number): void {
    if (ignoreCase) this.backwardFolded.add(reverse(foldCase(value)), this.entry(SUFFIX_IC, value, undefined, target), true);
    else this.backward.add(reverse(value), target, true);
    this.count++;
  }

  addEqualsIgnoreCase(value: string, target: number): void {
    this.forwardFolded.add(foldCase(value), this.entry(EQUALS_IC, value, undefined, target), false);
    this.count++;
  }

  addWildcard(wildcard: Wildcard, target: number): void {
    const segs = wildcard.segments;
    const head = segs[0] ?? '';
    const tail = segs[segs.length - 1] ?? '';
    this.count++;
    // no star: an exact string
    if (segs.length === 1) {
      this.forward.add(head, target, false);
      this.exact.add(head);
    }
    // one star, last or first: a plain prefix or suffix, nothing to confirm
    else if (segs.length === 2 && head !== '' && tail === '') this.forward.add(head, target, true);
    else if (segs.length === 2 && head === '' && tail !== '') this.backward.add(reverse(tail), target, true);
    else if (head !== '') this.forward.add(head, this.entry(WILDCARD, '', wildcard, target), true);
    else if (tail !== '') this.backward.add(reverse(tail), this.entry(WILDCARD, '', wildcard, target), true);
    else this.unanchored.push(this.entry(WILDCARD, '', wildcard, target));
  }

  /** Lays the tries out for querying (see `StringTrie.build`); no condition can be added afterwards. */
  build(): void {
    this.forward.build();
    this.backward.build();
    this.forwardFolded.build();
    this.backwardFolded.build();
  }

  /** Whether a query is the forward walk alone: no other trie, nothing to confirm. */
  get forwardOnly(): boolean {
    return this.backward.size + this.forwardFolded.size + this.backwardFolded.size + this.entries.length === 0;
  }

  /**
   * Attaches `answer` (a number >= 0) to the exact key `key`: `query` then returns it for a text
   * equal to `key`, after the forward walk alone (see `FieldIndex`'s answers).
   */
  setAnswer(key: string, answer: number): void {
    this.forward.setTag(key, answer);
  }

  /** Registers a candidate to confirm; returns its code. */
  private entry(test: number, text: string, wildcard: Wildcard | undefined, target: number): number {
    const kind = test !== WILDCARD && isAscii(text) ? CHECK_UNLESS_ASCII : CHECK;
    this.entries.push({ test, text, wildcard, target });
    return (this.entries.length - 1) * 4 + kind;
  }

  /**
   * Appends the slots of the plain conditions `text` satisfies to `slots`, the ids of the
   * anything-buts excluding it to `excluded`, and returns UNTAGGED; or, when `text` equals a key
   * with an answer (`setAnswer`), appends nothing and returns the answer.
   */
  query(text: string, slots: IdList, excluded: IdList, stats: IndexStats | undefined): number {
    const codes = this.codes;
    codes.length = 0;
    let visits = 0;
    if (this.forward.size > 0) {
      visits++;
      const answer = this.forward.walk(text, false, codes);
      if (answer !== UNTAGGED) {
        if (stats !== undefined) stats.valueMatcherVisits += visits;
        return answer;
      }
    }
    if (this.backward.size > 0) {
      visits++;
      this.backward.walkBack(text, false, codes);
    }
    // Whether the units the folded walks read are all ASCII: then, for an ASCII condition, equal
    // folded keys are the answer (CHECK_UNLESS_ASCII; a code is reported only after its whole key
    // was read). An ASCII text is folded during the walks; on meeting another unit they stop, and
    // walk the text's folded form instead, every candidate then confirmed.
    let ascii = true;
    const forwardFolded = this.forwardFolded.size > 0;
    const backwardFolded = this.backwardFolded.size > 0;
    if (forwardFolded || backwardFolded) {
      const mark = codes.length;
      ascii = (!forwardFolded || this.forwardFolded.walk(text, true, codes) !== NOT_ASCII) && (!backwardFolded || this.backwardFolded.walkBack(text, true, codes));
      if (!ascii) {
        codes.length = mark;
        const key = foldCase(text);
        if (forwardFolded) this.forwardFolded.walk(key, false, codes);
        if (backwardFolded) this.backwardFolded.walkBack(key, false, codes);
      }
      if (forwardFolded) visits++;
      if (backwardFolded) visits++;
    }
    if (this.unanchored.length > 0) {
      visits++;
      codes.pushAll(this.unanchored);
    }
    const items = codes.items;
    for (let i = 0; i < codes.length; i++) {
      let code = items[i] as number;
      if ((code & 2) !== 0) {
        const e = this.entries[code >> 2] as Entry;
        if (!((code & 3) === CHECK_UNLESS_ASCII && ascii) && !confirm(e, text)) continue;
        code = e.target;
      }
      if ((code & 3) === SLOT) slots.push(code >> 2);
      else excluded.push(code >> 2);
    }
    if (stats !== undefined) stats.valueMatcherVisits += visits;
    return UNTAGGED;
  }
}

function confirm(e: Entry, text: string): boolean {
  switch (e.test) {
    case EQUALS_IC:
      return equalsIgnoreCase(e.text, text);
    case PREFIX_IC:
      return startsWithIgnoreCase(text, e.text);
    case SUFFIX_IC:
      return endsWithIgnoreCase(text, e.text);
    default:
      return wildcardMatches(e.wildcard as Wildcard, text);
  }
}
