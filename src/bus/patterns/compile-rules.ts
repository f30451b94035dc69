/**
 * The compiled matcher. All rules are expanded into sub-rules and every condition is registered in
 * the `FieldIndex` of its path, shared by all rules. An event is flattened once; each of its
 * leaves queries the index of its path, which names the (sub-rule, field) slots it satisfies.
 * Only sub-rules that received a hit (or consist of `exists: false` fields only) are then checked
 * for array consistency and absences. So the work per event follows the event's fields and the
 * rules that can match it, not the number of rules.
 *
 * Concurrency: a `Matcher` is immutable after `compileRules`; to change the rules, compile anew.
 */
import { expandPattern } from './expand-pattern.ts';
import { FieldIndex } from './field-index.ts';
import { consistent, flattenEvent, type FlatEvent, type FlatLeaf } from './flatten-event.ts';
import type { Condition, Pattern, PatternField } from './pattern.ts';
import { leafMatches } from './leaf-predicate.ts';

export interface RuleInput {
  readonly id: string;
  readonly pattern: Pattern;
}

/** Counted work for one `match` call (for tests that prove cost does not follow the rule count). */
export interface MatchStats {
  /** Leaves the flattened event kept (those on some rule's path). */
  leaves: number;
  /** Per-field value structures consulted (one hash lookup, trie walk or tree walk each). */
  valueMatcherVisits: number;
  /** (sub-rule, field) slots reported by the value structures. */
  slotsEmitted: number;
  /** Sub-rules checked for array consistency and absences. */
  subRulesChecked: number;
}

export function newMatchStats(): MatchStats {
  return { leaves: 0, valueMatcherVisits: 0, slotsEmitted: 0, subRulesChecked: 0 };
}

export interface Matcher {
  readonly size: number;
  /** Ids of the rules the event matches, in the order the rules were given. */
  match(event: unknown, stats?: MatchStats): string[];
}

interface CompiledField {
  readonly path: string;
  readonly slot: number;
  /** Whether the field lists `exists: false`. */
  readonly absence: boolean;
  /** Set when the field is not in the shared index: its leaves are tested directly, and only for candidate sub-rules. */
  readonly direct?: readonly Condition[];
}

interface CompiledSubRule {
  readonly rule: number;
  readonly fields: readonly CompiledField[];
}

/** Conditions a hash lookup answers exactly: the values a sub-rule can be anchored on. */
const isExact = (c: Condition): boolean => c.kind === 'string' || c.kind === 'number' || c.kind === 'literal';

/**
 * Anchoring. Rules that share a value on one field (every order rule has `source: order.api`)
 * would each be reported for that field on every such event, so the work would grow with them.
 * Instead each sub-rule is indexed under ONE field: an exact-value field, the one whose path has
 * the most distinct values across all rules (the most selective). The sub-rule becomes a
 * candidate only when its anchor value is present; its other fields are then tested on the
 * event's leaves directly. Sub-rules with no exact-value field are indexed on every field.
 */
function chooseAnchor(fields: readonly PatternField[], distinct: ReadonlyMap<string, number>): number {
  let best = -1;
  let bestScore = -1;
  fields.forEach((f, i) => {
    if (!f.conditions.every(isExact)) return;
    const score = (distinct.get(f.path) ?? 0) * 1000 - f.conditions.length;
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  return best;
}

export function compileRules(rules: readonly RuleInput[]): Matcher {
  const ids = rules.map((r) => r.id);
  const subRules: CompiledSubRule[] = [];
  const slotSubRule: number[] = [];
  const indexes = new Map<string, FieldIndex>();
  const absenceOnly: number[] = [];

  const expanded = rules.map((rule) => expandPattern(rule.pattern));
  // Distinct exact values per path, across all rules: how selective anchoring on a path is.
  const valuesByPath = new Map<string, Set<string>>();
  for (const subs of expanded) {
    for (const sub of subs) {
      for (const f of sub.fields) {
        if (!f.conditions.every(isExact)) continue;
        let set = valuesByPath.get(f.path);
        if (set === undefined) valuesByPath.set(f.path, (set = new Set()));
        for (const c of f.conditions) set.add(JSON.stringify(c.kind === 'number' ? c.number.text : 'value' in c ? c.value : null));
      }
    }
  }
  const distinct = new Map([...valuesByPath].map(([p, set]) => [p, set.size]));

  rules.forEach((_rule, ruleIndex) => {
    for (const sub of expanded[ruleIndex] ?? []) {
      const subIndex = subRules.length;
      const anchor = chooseAnchor(sub.fields, distinct);
      const fields = sub.fields.map((field, fieldIndex): CompiledField => {
        const slot = slotSubRule.length;
        slotSubRule.push(subIndex);
        let index = indexes.get(field.path);
        if (index === undefined) {
          index = new FieldIndex();
          indexes.set(field.path, index);
        }
        const absence = field.conditions.some((c) => c.kind === 'exists' && !c.value);
        if (anchor >= 0 && fieldIndex !== anchor && !absence) {
          // Not indexed: the path still has an (empty) index so the event keeps its leaves.
          return { path: field.path, slot, absence, direct: field.conditions };
        }
        for (const c of field.conditions) index.add(c, slot);
        return { path: field.path, slot, absence };
      });
      subRules.push({ rule: ruleIndex, fields });
      if (fields.every((f) => f.absence)) absenceOnly.push(subIndex);
    }
  });
  for (const index of indexes.values()) index.build();

  const paths = new Set(indexes.keys());
  const prefixes = new Set<string>();
  for (const path of paths) {
    for (let i = path.indexOf('.'); i >= 0; i = path.indexOf('.', i + 1)) prefixes.add(path.slice(0, i));
    prefixes.add(path);
  }

  const match = (event: unknown, stats?: MatchStats): string[] => {
    const flat = flattenEvent(event, paths, prefixes);
    if (stats !== undefined) stats.leaves += flat.leaves.length;
    // slot -> leaves that satisfy it
    const hits = new Map<number, number[]>();
    const touched = new Set<number>();
    for (const [path, leafIndexes] of flat.byPath) {
      const index = indexes.get(path);
      if (index === undefined) continue;
      for (const leafIndex of leafIndexes) {
        const leaf = flat.leaves[leafIndex];
        if (leaf === undefined) continue;
        index.query(
          leaf.value,
          (slot) => {
            const list = hits.get(slot);
            if (list === undefined) hits.set(slot, [leafIndex]);
            else if (list[list.length - 1] !== leafIndex) list.push(leafIndex);
            touched.add(slotSubRule[slot] ?? -1);
          },
          stats,
        );
      }
    }
    for (const s of absenceOnly) touched.add(s);
    const matched = new Set<number>();
    for (const subIndex of touched) {
      const sub = subRules[subIndex];
      if (sub === undefined || matched.has(sub.rule)) continue;
      // A candidate through its anchor: test its other fields on the event's leaves now.
      for (const f of sub.fields) {
        if (f.direct === undefined || hits.has(f.slot)) continue;
        const found: number[] = [];
        for (const leafIndex of flat.byPath.get(f.path) ?? []) {
          const leaf = flat.leaves[leafIndex];
          if (leaf !== undefined && f.direct.some((c) => leafMatches(c, leaf.value))) found.push(leafIndex);
        }
        if (stats !== undefined) stats.valueMatcherVisits++;
        if (found.length > 0) hits.set(f.slot, found);
      }
      if (!sub.fields.every((f) => f.absence || hits.has(f.slot))) continue;
      if (stats !== undefined) stats.subRulesChecked++;
      if (satisfiable(sub, hits, flat)) matched.add(sub.rule);
    }
    return [...matched].sort((a, b) => a - b).map((i) => ids[i] ?? '');
  };

  return { size: rules.length, match };
}

/** Picks one hit leaf per field, pairwise array-consistent, with absent fields absent. */
function satisfiable(sub: CompiledSubRule, hits: ReadonlyMap<number, readonly number[]>, flat: FlatEvent): boolean {
  const chosen: FlatLeaf[] = [];
  const absent: CompiledField[] = [];
  const absencesHold = (): boolean =>
    absent.every((f) =>
      (flat.byPath.get(f.path) ?? []).every((i) => {
        const leaf = flat.leaves[i];
        return leaf === undefined || chosen.some((c) => !consistent(c, leaf));
      }),
    );
  const search = (i: number): boolean => {
    const field = sub.fields[i];
    if (field === undefined) return absencesHold();
    for (const leafIndex of hits.get(field.slot) ?? []) {
      const leaf = flat.leaves[leafIndex];
      if (leaf === undefined || !chosen.every((c) => consistent(c, leaf))) continue;
      chosen.push(leaf);
      if (search(i + 1)) return true;
      chosen.pop();
    }
    if (field.absence) {
      absent.push(field);
      if (search(i + 1)) return true;
      absent.pop();
    }
    return false;
  };
  return search(0);
}
