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

  query(text: string, emit: (id: number) => void, stats: IndexStats | undefined): void {
    const each = (ids: readonly number[]): void => {
      for (const id of ids) emit(id);
    };
    const visit = (): void => {
      if (stats !== undefined) stats.valueMatcherVisits++;
    };
    if (this.exact.size > 0) {
      visit();
      const ids = this.exact.get(text);
      if (ids !== undefined) each(ids);
    }
    if (this.prefixes.size > 0) {
      visit();
      this.prefixes.prefixesOf(text, each);
    }
    if (this.suffixes.size > 0) {
      visit();
      this.suffixes.prefixesOf(reverse(text), each);
    }
    const needsFold = this.ignoreCase.size + this.prefixesIgnoreCase.size + this.suffixesIgnoreCase.size > 0;
    if (needsFold) {
      // the folded key only narrows the candidates; each is confirmed with the exact rule
      const folded = foldCase(text);
      if (this.ignoreCase.size > 0) {
        visit();
        for (const e of this.ignoreCase.get(folded) ?? []) if (equalsIgnoreCase(e.text, text)) emit(e.id);
      }
      if (this.prefixesIgnoreCase.size > 0) {
        visit();
        this.prefixesIgnoreCase.prefixesOf(folded, (es) => {
          for (const e of es) if (startsWithIgnoreCase(text, e.text)) emit(e.id);
        });
      }
      if (this.suffixesIgnoreCase.size > 0) {
        visit();
        this.suffixesIgnoreCase.prefixesOf(reverse(folded), (es) => {
          for (const e of es) if (endsWithIgnoreCase(text, e.text)) emit(e.id);
        });
      }
    }
    if (this.wildcards.size > 0) {
      visit();
      this.wildcards.query(text, emit);
    }
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

  /** Emits the slots whose conditions `leaf` satisfies (a slot may be emitted more than once). */
  query(leaf: Leaf, emit: (slot: number) => void, stats: IndexStats | undefined): void {
    const counted = stats === undefined ? emit : (slot: number): void => {
      stats.slotsEmitted++;
      emit(slot);
    };
    const each = (ids: readonly number[] | undefined): void => {
      if (ids !== undefined) for (const id of ids) counted(id);
    };
    const visit = (): void => {
      if (stats !== undefined) stats.valueMatcherVisits++;
    };
    each(this.anyLeaf);
    if (typeof leaf === 'string') {
      this.strings.query(leaf, counted, stats);
      if (this.ips.size > 0 || this.cidrs.size > 0) {
        const ip = parseIp(leaf);
        if (ip !== undefined) {
          visit();
          each(this.ips.get(ipKey(ip)));
          if (this.cidrs.size > 0) this.cidrs.query(ip, counted);
        }
      }
    } else if (typeof leaf === 'number' || leaf instanceof JsonNumber) {
      if (this.numbers.size > 0) {
        visit();
        each(this.numbers.lookup(leaf));
      }
      if (typeof leaf === 'number' && this.numeric.size > 0) {
        visit();
        this.numeric.query(leaf, counted);
      }
    } else if (this.literals.size > 0) {
      visit();
      each(this.literals.get(leaf));
    }
    if (this.butSlot.length > 0) this.queryAnythingBut(leaf, counted, stats);
  }

  private queryAnythingBut(leaf: Leaf, emit: (slot: number) => void, stats: IndexStats | undefined): void {
    if (stats !== undefined) stats.valueMatcherVisits++;
    // values of another type than an anything-but's list are never excluded by it
    const emitAll = (ids: readonly number[]): void => {
      for (const id of ids) emit(this.butSlot[id] ?? -1);
    };
    const emitUnexcluded = (ids: readonly number[], excluded: ReadonlySet<number>): void => {
      for (const id of ids) if (!excluded.has(id)) emit(this.butSlot[id] ?? -1);
    };
    if (typeof leaf === 'string') {
      const excluded = new Set<number>();
      this.butStrings.query(leaf, (id) => excluded.add(id), stats);
      emitUnexcluded(this.butStringIds, excluded);
      emitAll(this.butNumberIds);
    } else if (typeof leaf === 'number' || leaf instanceof JsonNumber) {
      emitUnexcluded(this.butNumberIds, new Set(this.butNumbers.lookup(leaf)));
      emitAll(this.butStringIds);
    } else {
      emitAll(this.butStringIds);
      emitAll(this.butNumberIds);
    }
  }
}
