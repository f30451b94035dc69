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
import { parseEventText } from './json-text.ts';
import { flattenEventText } from './flatten-event-text.ts';
import { buildPathTrie } from './path-trie.ts';

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
  /**
   * Same as `match(parseEventText(text))`, reading the text once and only along rule paths (the
   * fast path for events that arrive as JSON). Throws like `parseEventText` on text that is not JSON.
   */
  matchText(text: string, stats?: MatchStats): string[];
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

/** Conditions a hash lookup answers exactly: preferred anchors when paths are equally selective. */
const isExact = (c: Condition): boolean => c.kind === 'string' || c.kind === 'number' || c.kind === 'literal';

/**
 * A key naming what a condition accepts, for counting distinct conditions per path; undefined for
 * conditions that accept (nearly) every value (`exists`, `anything-but`): never an anchor.
 */
function selectiveKey(c: Condition): string | undefined {
  switch (c.kind) {
    case 'exists':
    case 'anything-but':
      return undefined;
    case 'string':
    case 'equals-ignore-case':
      return `${c.kind}:${c.value}`;
    case 'literal':
      return `literal:${String(c.value)}`;
    case 'number':
      return `number:${c.number.value ?? c.number.text}`;
    case 'prefix':
    case 'suffix':
      return `${c.kind}:${c.ignoreCase ? 'i' : ''}:${c.value}`;
    case 'wildcard':
      return `wildcard:${JSON.stringify(c.wildcard.segments)}`;
    case 'numeric':
      return `numeric:${JSON.stringify([c.lower, c.upper])}`;
    case 'cidr':
      return `cidr:${c.range.bytes.join('.')}/${c.range.bits}`;
  }
}

const isSelective = (f: PatternField): boolean => f.conditions.every((c) => selectiveKey(c) !== undefined);

/**
 * Anchoring. Rules that share a value on one field (every order rule has `source: order.api`)
 * would each be reported for that field on every such event, so the work would grow with them.
 * Instead each sub-rule is indexed under ONE field: the one whose path has the most distinct
 * conditions across all rules (the most selective), among fields whose conditions all narrow the
 * value (not `exists` or `anything-but`); exact-value fields win ties. The sub-rule becomes a
 * candidate only when its anchor field is satisfied; its other fields are then tested on the
 * event's leaves directly. Sub-rules with no such field are indexed on every field.
 */
function chooseAnchor(fields: readonly PatternField[], distinct: ReadonlyMap<string, number>): number {
  let best = -1;
  let bestScore = -1;
  fields.forEach((f, i) => {
    if (!isSelective(f)) return;
    const score = (distinct.get(f.path) ?? 0) * 1000 + (f.conditions.every(isExact) ? 500 : 0) - Math.min(f.conditions.length, 499);
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
  // Distinct conditions per path, across all rules: how selective anchoring on a path is.
  const valuesByPath = new Map<string, Set<string>>();
  for (const subs of expanded) {
    for (const sub of subs) {
      for (const f of sub.fields) {
        if (!isSelective(f)) continue;
        let set = valuesByPath.get(f.path);
        if (set === undefined) valuesByPath.set(f.path, (set = new Set()));
        for (const c of f.conditions) set.add(selectiveKey(c) ?? '');
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

  const root = buildPathTrie(indexes.keys());

  // (no closures in the per-event path: tsx names every named closure at creation, which costs)
  const matchFlat = (flat: FlatEvent, stats: MatchStats | undefined): string[] => {
    const leaves = flat.leaves;
    if (stats !== undefined) stats.leaves += leaves.length;
    // slot -> leaves that satisfy it; sub-rules that received a hit (or need none)
    const hits = new Map<number, number[]>();
    const candidates: number[] = [...absenceOnly];
    const slots: number[] = [];
    for (let leafIndex = 0; leafIndex < leaves.length; leafIndex++) {
      const leaf = leaves[leafIndex] as FlatLeaf;
      const index = indexes.get(leaf.path);
      if (index === undefined) continue;
      slots.length = 0;
      index.query(leaf.value, slots, stats);
      for (const slot of slots) {
        const list = hits.get(slot);
        if (list === undefined) {
          hits.set(slot, [leafIndex]);
          candidates.push(slotSubRule[slot] ?? -1);
        } else if (list[list.length - 1] !== leafIndex) list.push(leafIndex);
      }
    }
    if (candidates.length === 0) return [];
    const matched = new Set<number>();
    const checked = new Set<number>();
    for (const subIndex of candidates) {
      const sub = subRules[subIndex];
      if (sub === undefined || checked.has(subIndex)) continue;
      checked.add(subIndex);
      if (matched.has(sub.rule)) continue;
      if (!hasEveryField(sub, hits, flat, stats)) continue;
      if (stats !== undefined) stats.subRulesChecked++;
      if (satisfiable(sub, hits, flat)) matched.add(sub.rule);
    }
    return [...matched].sort((x, y) => x - y).map((i) => ids[i] ?? '');
  };

  return {
    size: rules.length,
    match: (event, stats) => matchFlat(flattenEvent(event, root), stats),
    matchText: (text, stats) => {
      const flat = flattenEventText(text, root);
      // not JSON: parsing it the ordinary way throws the error with the usual wording
      return flat === undefined ? matchFlat(flattenEvent(parseEventText(text), root), stats) : matchFlat(flat, stats);
    },
  };
}

/**
 * Whether every field of a candidate sub-rule has hit leaves (or may be absent). A candidate
 * through its anchor has its other fields tested on the event's leaves here, into `hits`.
 */
function hasEveryField(sub: CompiledSubRule, hits: Map<number, number[]>, flat: FlatEvent, stats: MatchStats | undefined): boolean {
  for (const f of sub.fields) {
    if (f.direct !== undefined && !hits.has(f.slot)) {
      const found: number[] = [];
      for (const leafIndex of flat.byPath.get(f.path) ?? []) {
        const leaf = flat.leaves[leafIndex] as FlatLeaf;
        for (const c of f.direct) {
          if (leafMatches(c, leaf.value)) {
            found.push(leafIndex);
            break;
          }
        }
      }
      if (stats !== undefined) stats.valueMatcherVisits++;
      if (found.length > 0) hits.set(f.slot, found);
    }
    if (!f.absence && !hits.has(f.slot)) return false;
  }
  return true;
}

/** Picks one hit leaf per field, pairwise array-consistent, with absent fields absent. */
function satisfiable(sub: CompiledSubRule, hits: ReadonlyMap<number, readonly number[]>, flat: FlatEvent): boolean {
  return search(sub, 0, hits, flat, [], []);
}

function search(sub: CompiledSubRule, i: number, hits: ReadonlyMap<number, readonly number[]>, flat: FlatEvent, chosen: FlatLeaf[], absent: CompiledField[]): boolean {
  const field = sub.fields[i];
  if (field === undefined) return absencesHold(absent, chosen, flat);
  for (const leafIndex of hits.get(field.slot) ?? []) {
    const leaf = flat.leaves[leafIndex];
    if (leaf === undefined || !consistentWithAll(leaf, chosen)) continue;
    chosen.push(leaf);
    if (search(sub, i + 1, hits, flat, chosen, absent)) return true;
    chosen.pop();
  }
  if (field.absence) {
    absent.push(field);
    if (search(sub, i + 1, hits, flat, chosen, absent)) return true;
    absent.pop();
  }
  return false;
}

function consistentWithAll(leaf: FlatLeaf, chosen: readonly FlatLeaf[]): boolean {
  for (const c of chosen) if (!consistent(c, leaf)) return false;
  return true;
}

/** `exists: false` fields: every leaf at their path sits in another array element than some chosen leaf. */
function absencesHold(absent: readonly CompiledField[], chosen: readonly FlatLeaf[], flat: FlatEvent): boolean {
  for (const f of absent) {
    for (const i of flat.byPath.get(f.path) ?? []) {
      const leaf = flat.leaves[i];
      if (leaf !== undefined && consistentWithAll(leaf, chosen)) return false;
    }
  }
  return true;
}
