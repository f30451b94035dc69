/**
 * Every condition of every rule on one field path, organised so that one event value finds the
 * conditions it satisfies by lookups (hash maps, tries, a segment tree, a bit trie) instead of by
 * trying each rule. Conditions are registered with a *slot* (one field of one sub-rule); `query`
 * emits the slots a value satisfies, possibly more than once.
 *
 * anything-but is the inverse problem: it matches most values, so the index finds the
 * anything-but conditions a value is *excluded* by and emits all the others.
 */
import { endsWithIgnoreCase, equalsIgnoreCase, foldCase, startsWithIgnoreCase } from './ignore-case.ts';
import { IpTrie } from './ip-trie.ts';
import { parseIp, type IpBytes } from './ip.ts';
import type { Leaf } from './leaf.ts';
import { JsonNumber, type NumberValue } from './number-text.ts';
import { NumericIndex } from './numeric-index.ts';
import type { Condition } from './pattern.ts';
import { StringTrie, reverse } from './string-trie.ts';
import { WildcardIndex } from './wildcard-index.ts';

/** Counters for the work one event costs; see `MatchStats` in compile-rules.ts. */
export interface IndexStats {
  valueMatcherVisits: number;
  slotsEmitted: number;
}

interface TextEntry {
  readonly text: string;
  readonly id: number;
}

const push = <K>(map: Map<K, number[]>, key: K, id: number): void => {
  const list = map.get(key);
  if (list === undefined) map.set(key, [id]);
  else list.push(id);
};

const ipKey = (bytes: IpBytes): string => bytes.join('.');

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

/** The string-valued forms shared by plain conditions and anything-but exclusions. */
class StringForms {
  readonly exact = new Map<string, number[]>();
  readonly prefixes = new StringTrie<number>();
  readonly suffixes = new StringTrie<number>();
  readonly ignoreCase = new Map<string, TextEntry[]>();
  readonly prefixesIgnoreCase = new StringTrie<TextEntry>();
  readonly suffixesIgnoreCase = new StringTrie<TextEntry>();
  readonly wildcards = new WildcardIndex();

  /** Appends to `out` the ids whose forms `text` satisfies. */
  query(text: string, out: number[], stats: IndexStats | undefined): void {
    let visits = 0;
    if (this.exact.size > 0) {
      visits++;
      const ids = this.exact.get(text);
      if (ids !== undefined) for (const id of ids) out.push(id);
    }
    if (this.prefixes.size > 0) {
      visits++;
      this.prefixes.prefixesOf(text, out);
    }
    if (this.suffixes.size > 0) {
      visits++;
      this.suffixes.prefixesOf(reverse(text), out);
    }
    if (this.ignoreCase.size + this.prefixesIgnoreCase.size + this.suffixesIgnoreCase.size > 0) {
      // the folded key only narrows the candidates; each is confirmed with the exact rule
      const folded = foldCase(text);
      if (this.ignoreCase.size > 0) {
        visits++;
        for (const e of this.ignoreCase.get(folded) ?? []) if (equalsIgnoreCase(e.text, text)) out.push(e.id);
      }
      const entries: TextEntry[] = [];
      if (this.prefixesIgnoreCase.size > 0) {
        visits++;
        this.prefixesIgnoreCase.prefixesOf(folded, entries);
        for (const e of entries) if (startsWithIgnoreCase(text, e.text)) out.push(e.id);
      }
      if (this.suffixesIgnoreCase.size > 0) {
        visits++;
        entries.length = 0;
        this.suffixesIgnoreCase.prefixesOf(reverse(folded), entries);
        for (const e of entries) if (endsWithIgnoreCase(text, e.text)) out.push(e.id);
      }
    }
    if (this.wildcards.size > 0) {
      visits++;
      this.wildcards.query(text, out);
    }
    if (stats !== undefined) stats.valueMatcherVisits += visits;
  }
}

export class FieldIndex {
  private readonly strings = new StringForms();
  private readonly ips = new Map<string, number[]>();
  private readonly numbers = new NumberSet();
  private readonly literals = new Map<boolean | null, number[]>();
  private readonly numeric = new NumericIndex();
  private readonly cidrs = new IpTrie();
  private readonly anyLeaf: number[] = [];

  // anything-but: each condition gets its own id (a field may list several), mapped to its slot
  private readonly butSlot: number[] = [];
  private readonly butStringIds: number[] = [];
  private readonly butNumberIds: number[] = [];
  private readonly butStrings = new StringForms();
  private readonly butNumbers = new NumberSet();

  add(condition: Condition, slot: number): void {
    const s = this.strings;
    switch (condition.kind) {
      case 'string':
        push(s.exact, condition.value, slot);
        if (condition.ip !== undefined) push(this.ips, ipKey(condition.ip), slot);
        return;
      case 'number':
        this.numbers.add(condition.number, slot);
        return;
      case 'literal':
        push(this.literals, condition.value, slot);
        return;
      case 'prefix':
        if (condition.ignoreCase) s.prefixesIgnoreCase.add(foldCase(condition.value), { text: condition.value, id: slot });
        else s.prefixes.add(condition.value, slot);
        return;
      case 'suffix':
        if (condition.ignoreCase) s.suffixesIgnoreCase.add(reverse(foldCase(condition.value)), { text: condition.value, id: slot });
        else s.suffixes.add(reverse(condition.value), slot);
        return;
      case 'equals-ignore-case': {
        const key = foldCase(condition.value);
        const list = s.ignoreCase.get(key);
        const entry = { text: condition.value, id: slot };
        if (list === undefined) s.ignoreCase.set(key, [entry]);
        else list.push(entry);
        return;
      }
      case 'wildcard':
        s.wildcards.add(condition.wildcard, slot);
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
    const id = this.butSlot.length;
    this.butSlot.push(slot);
    const b = this.butStrings;
    switch (but.kind) {
      case 'numbers':
        this.butNumberIds.push(id);
        for (const n of but.values) this.butNumbers.add(n, id);
        return;
      case 'strings':
        for (const v of but.values) push(b.exact, v, id);
        break;
      case 'prefix':
        for (const v of but.values) b.prefixes.add(v, id);
        break;
      case 'suffix':
        for (const v of but.values) b.suffixes.add(reverse(v), id);
        break;
      case 'equals-ignore-case':
        for (const v of but.values) {
          const key = foldCase(v);
          const list = b.ignoreCase.get(key) ?? [];
          list.push({ text: v, id });
          b.ignoreCase.set(key, list);
        }
        break;
      case 'wildcard':
        for (const w of but.values) b.wildcards.add(w, id);
        break;
    }
    this.butStringIds.push(id);
  }

  build(): void {
    this.numeric.build();
  }

  /** Appends to `out` the slots whose conditions `leaf` satisfies (a slot may appear more than once). */
  query(leaf: Leaf, out: number[], stats: IndexStats | undefined): void {
    const before = out.length;
    let visits = 0;
    for (const slot of this.anyLeaf) out.push(slot);
    if (typeof leaf === 'string') {
      this.strings.query(leaf, out, stats);
      if (this.ips.size > 0 || this.cidrs.size > 0) {
        const ip = parseIp(leaf);
        if (ip !== undefined) {
          visits++;
          const ids = this.ips.get(ipKey(ip));
          if (ids !== undefined) for (const id of ids) out.push(id);
          if (this.cidrs.size > 0) this.cidrs.query(ip, out);
        }
      }
    } else if (typeof leaf === 'number' || leaf instanceof JsonNumber) {
      if (this.numbers.size > 0) {
        visits++;
        const ids = this.numbers.lookup(leaf);
        if (ids !== undefined) for (const id of ids) out.push(id);
      }
      if (typeof leaf === 'number' && this.numeric.size > 0) {
        visits++;
        this.numeric.query(leaf, out);
      }
    } else if (this.literals.size > 0) {
      visits++;
      const ids = this.literals.get(leaf);
      if (ids !== undefined) for (const id of ids) out.push(id);
    }
    if (this.butSlot.length > 0) {
      visits++;
      this.queryAnythingBut(leaf, out, stats);
    }
    if (stats !== undefined) {
      stats.valueMatcherVisits += visits;
      stats.slotsEmitted += out.length - before;
    }
  }

  /** Appends the slots of the anything-but conditions that do not exclude `leaf`. */
  private queryAnythingBut(leaf: Leaf, out: number[], stats: IndexStats | undefined): void {
    // values of another type than an anything-but's list are never excluded by it
    let excluded: readonly number[] = [];
    let excludable: readonly number[] = [];
    let others: readonly number[] = this.butStringIds;
    if (typeof leaf === 'string') {
      const ids: number[] = [];
      this.butStrings.query(leaf, ids, stats);
      excluded = ids;
      excludable = this.butStringIds;
      others = this.butNumberIds;
    } else if (typeof leaf === 'number' || leaf instanceof JsonNumber) {
      excluded = this.butNumbers.lookup(leaf) ?? [];
      excludable = this.butNumberIds;
    } else {
      for (const id of this.butNumberIds) out.push(this.butSlot[id] ?? -1);
    }
    for (const id of others) out.push(this.butSlot[id] ?? -1);
    if (excluded.length === 0) {
      for (const id of excludable) out.push(this.butSlot[id] ?? -1);
    } else {
      const set = new Set(excluded);
      for (const id of excludable) if (!set.has(id)) out.push(this.butSlot[id] ?? -1);
    }
  }
}
