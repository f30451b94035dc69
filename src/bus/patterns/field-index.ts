/**
 * Every condition of every rule on one field path, organised so that one event value finds the
 * conditions it satisfies by lookups (hash maps, tries, a segment tree, a bit trie) instead of by
 * trying each rule. Conditions are registered with a *slot* (one field of one sub-rule); `query`
 * emits the slots a value satisfies, possibly more than once.
 *
 * anything-but is the inverse problem: it matches most values, so the index finds the
 * anything-but conditions a value is *excluded* by and emits all the others.
 *
 * A string value equal to one of the field's exact keys is answered from a list computed at build
 * time (`buildAnswers`): the walk that recognises the key is the whole query.
 *
 * Concurrency: built once, then only queried; `query` uses scratch arrays of the index, so the
 * index serves one query at a time (matching is synchronous).
 */
import { IdList } from './id-list.ts';
import { IpTrie } from './ip-trie.ts';
import { parseIp, type IpBytes } from './ip.ts';
import type { Leaf } from './leaf.ts';
import { JsonNumber, type NumberValue } from './number-text.ts';
import { NumericIndex } from './numeric-index.ts';
import type { Condition } from './pattern.ts';
import { StringIndex, butCode, slotCode, type IndexStats } from './string-index.ts';
import { UNTAGGED } from './string-trie.ts';

export type { IndexStats } from './string-index.ts';

const push = <K>(map: Map<K, number[]>, key: K, id: number): void => {
  const list = map.get(key);
  if (list === undefined) map.set(key, [id]);
  else list.push(id);
};

const ipKey = (bytes: IpBytes): string => bytes.join('.');

/** The answers of a field (see `FieldIndex.buildAnswers`) hold at most this many slots per condition. */
const ANSWER_SLOTS_PER_CONDITION = 8;

/** Exact numbers: by value when the text is exactly a double, else by text (event-ruler). */
class NumberSet {
  readonly byValue = new Map<number, number[]>();
  readonly byText = new Map<string, number[]>();
  get size(): number {
    return this.byValue.size + this.byText.size;
  }
  add(n: NumberValue, id: number): void {
    if (n.value !== undefined) push(this.byValue, n.value === 0 ? 0 : n.value, id);
    else push(this.byText, n.text, id);
  }
  lookup(leaf: number | JsonNumber): readonly number[] | undefined {
    return typeof leaf === 'number' ? this.byValue.get(leaf === 0 ? 0 : leaf) : this.byText.get(leaf.text);
  }
}

export class FieldIndex {
  /** The string conditions, plain and anything-but (see string-index.ts). */
  private readonly strings = new StringIndex();
  private readonly ips = new Map<string, number[]>();
  private readonly numbers = new NumberSet();
  private readonly literals = new Map<boolean | null, number[]>();
  private readonly numeric = new NumericIndex();
  private readonly cidrs = new IpTrie();
  private readonly anyLeaf: number[] = [];
  private conditions = 0;

  // anything-but: each condition gets its own id (a field may list several); the slots of the
  // ones about strings and about numbers, and per id whether this query's value is excluded
  private readonly butStringSlots: number[] = [];
  private readonly butNumberSlots: number[] = [];
  private readonly butStringIds: number[] = [];
  private readonly butNumberIds: number[] = [];
  private readonly butNumbers = new NumberSet();
  private butExcluded = new Uint32Array(0);
  private butStamp = 0;
  /** Scratch for the anything-but ids a string value is excluded by. */
  private readonly excluded = new IdList();

  /** The slots of answer `a` are `answerSlots[answerStart[a] .. answerStart[a + 1])` (see `buildAnswers`). */
  private answerSlots = new Int32Array(0);
  private answerStart = new Int32Array(0);

  /** Whether the index holds no condition (a path whose fields are all tested directly). */
  get empty(): boolean {
    return this.conditions === 0;
  }

  add(condition: Condition, slot: number): void {
    const s = this.strings;
    this.conditions++;
    switch (condition.kind) {
      case 'string':
        s.addExact(condition.value, slotCode(slot));
        if (condition.ip !== undefined) push(this.ips, ipKey(condition.ip), slot);
        return;
      case 'number':
        this.numbers.add(condition.number, slot);
        return;
      case 'literal':
        push(this.literals, condition.value, slot);
        return;
      case 'prefix':
        s.addPrefix(condition.value, condition.ignoreCase, slotCode(slot));
        return;
      case 'suffix':
        s.addSuffix(condition.value, condition.ignoreCase, slotCode(slot));
        return;
      case 'equals-ignore-case':
        s.addEqualsIgnoreCase(condition.value, slotCode(slot));
        return;
      case 'wildcard':
        s.addWildcard(condition.wildcard, slotCode(slot));
        return;
      case 'numeric':
        this.numeric.add(condition.lower, condition.upper, slot);
        return;
      case 'cidr':
        this.cidrs.add(condition.range, slot);
        return;
      case 'exists':
        if (condition.value) this.anyLeaf.push(slot);
        return; // exists:false is about absence; the matcher handles it per sub-rule
      case 'anything-but':
        this.addAnythingBut(condition.but, slot);
        return;
    }
  }

  private addAnythingBut(but: Extract<Condition, { kind: 'anything-but' }>['but'], slot: number): void {
    const id = this.butStringIds.length + this.butNumberIds.length;
    const b = this.strings;
    const code = butCode(id);
    switch (but.kind) {
      case 'numbers':
        this.butNumberIds.push(id);
        this.butNumberSlots.push(slot);
        for (const n of but.values) this.butNumbers.add(n, id);
        return;
      case 'strings':
        for (const v of but.values) b.addExact(v, code);
        break;
      case 'prefix':
        for (const v of but.values) b.addPrefix(v, false, code);
        break;
      case 'suffix':
        for (const v of but.values) b.addSuffix(v, false, code);
        break;
      case 'equals-ignore-case':
        for (const v of but.values) b.addEqualsIgnoreCase(v, code);
        break;
      case 'wildcard':
        for (const w of but.values) b.addWildcard(w, code);
        break;
    }
    this.butStringIds.push(id);
    this.butStringSlots.push(slot);
  }

  build(): void {
    this.strings.build();
    this.numeric.build();
    this.butExcluded = new Uint32Array(this.butStringIds.length + this.butNumberIds.length);
    this.buildAnswers();
  }

  /**
   * Answers. A string value equal to one of the field's exact keys (an exact value, an
   * anything-but value, a wildcard without star) is recognised by the forward trie's walk alone,
   * and what the rest of a query finds for it (the other tries' walks, confirmations, anything-but
   * exclusions, IPs) is the same every time: it is computed here, once, by the full query, and the
   * walk that ends on the key returns it (values that match rules are often such keys: on the
   * citylots benchmark, two of an event's five kept values). Only where a query does more than
   * that walk, and within ANSWER_SLOTS_PER_CONDITION, so the memory follows the conditions.
   */
  private buildAnswers(): void {
    const strings = this.strings;
    const buts = this.butStringIds.length + this.butNumberIds.length;
    if (strings.forwardOnly && buts === 0 && this.ips.size === 0 && this.cidrs.size === 0) return;
    const scratch = new IdList();
    const keys: string[] = [];
    const slots: number[] = [];
    const starts: number[] = [0];
    let budget = ANSWER_SLOTS_PER_CONDITION * this.conditions;
    for (const key of strings.exactKeys) {
      scratch.length = 0;
      this.query(key, scratch, undefined);
      // (exists:true slots come first and are added to every answer anyway; a slot once is enough)
      const answer = [...new Set(scratch.items.subarray(this.anyLeaf.length, scratch.length))];
      if (answer.length > budget) break;
      budget -= answer.length;
      keys.push(key);
      for (const slot of answer) slots.push(slot);
      starts.push(slots.length);
    }
    // (tagged only now: the answers above were all found by full queries)
    keys.forEach((key, answer) => strings.setAnswer(key, answer));
    this.answerSlots = Int32Array.from(slots);
    this.answerStart = Int32Array.from(starts);
  }

  /** Appends to `out` the slots whose conditions `leaf` satisfies (a slot may appear more than once). */
  query(leaf: Leaf, out: IdList, stats: IndexStats | undefined): void {
    const before = out.length;
    let visits = 0;
    if (this.anyLeaf.length !== 0) out.pushAll(this.anyLeaf);
    if (typeof leaf === 'string') {
      const excluded = this.excluded;
      excluded.length = 0;
      if (this.strings.size > 0) {
        const answer = this.strings.query(leaf, out, excluded, stats);
        // an exact key: the rest of this query was done at build time
        if (answer !== UNTAGGED) {
          const start = this.answerStart[answer] as number;
          out.pushRange(this.answerSlots, start, (this.answerStart[answer + 1] as number) - start);
          if (stats !== undefined) stats.slotsEmitted += out.length - before;
          return;
        }
      }
      if (this.ips.size > 0 || this.cidrs.size > 0) {
        const ip = parseIp(leaf);
        if (ip !== undefined) {
          visits++;
          const ids = this.ips.get(ipKey(ip));
          if (ids !== undefined) out.pushAll(ids);
          if (this.cidrs.size > 0) this.cidrs.query(ip, out);
        }
      }
      if (this.butStringIds.length + this.butNumberIds.length > 0) {
        visits++;
        out.pushAll(this.butNumberSlots);
        this.pushNotExcluded(excluded.items, excluded.length, this.butStringIds, this.butStringSlots, out);
      }
    } else if (typeof leaf === 'number' || leaf instanceof JsonNumber) {
      if (this.numbers.size > 0) {
        visits++;
        const ids = this.numbers.lookup(leaf);
        if (ids !== undefined) out.pushAll(ids);
      }
      if (typeof leaf === 'number' && this.numeric.size > 0) {
        visits++;
        this.numeric.query(leaf, out);
      }
      if (this.butStringIds.length + this.butNumberIds.length > 0) {
        visits++;
        out.pushAll(this.butStringSlots);
        const excluded = this.butNumbers.lookup(leaf) ?? [];
        this.pushNotExcluded(excluded, excluded.length, this.butNumberIds, this.butNumberSlots, out);
      }
    } else {
      if (this.literals.size > 0) {
        visits++;
        const ids = this.literals.get(leaf);
        if (ids !== undefined) out.pushAll(ids);
      }
      // values of another type than an anything-but's list are never excluded by it
      if (this.butStringIds.length + this.butNumberIds.length > 0) {
        visits++;
        out.pushAll(this.butStringSlots);
        out.pushAll(this.butNumberSlots);
      }
    }
    if (stats !== undefined) {
      stats.valueMatcherVisits += visits;
      stats.slotsEmitted += out.length - before;
    }
  }

  /** Appends the slots of the anything-but conditions (`ids`, parallel to `slots`) not among the first `count` of `excluded`. */
  private pushNotExcluded(excluded: ArrayLike<number>, count: number, ids: readonly number[], slots: readonly number[], out: IdList): void {
    if (count === 0) {
      out.pushAll(slots);
      return;
    }
    const marks = this.butExcluded;
    if (++this.butStamp === 0x1_0000_0000) {
      marks.fill(0);
      this.butStamp = 1;
    }
    const stamp = this.butStamp;
    for (let i = 0; i < count; i++) marks[excluded[i] as number] = stamp;
    for (let i = 0; i < ids.length; i++) if (marks[ids[i] as number] !== stamp) out.push(slots[i] as number);
  }
}
