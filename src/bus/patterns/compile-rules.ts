/**
 * The compiled matcher. All rules are expanded into sub-rules and every condition is registered in
 * the `FieldIndex` of its path, shared by all rules. An event is flattened once; each of its
 * leaves queries the index of its path, which names the (sub-rule, field) slots it satisfies
 * (match-run.ts). Only sub-rules that received a hit (or consist of `exists: false` fields only)
 * are then checked for array consistency and absences. So the work per event follows the event's
 * fields and the rules that can match it, not the number of rules.
 *
 * Concurrency: a `Matcher`'s rules are fixed by `compileRules`; to change them, compile anew. It
 * keeps scratch buffers for the event being matched, so one matcher runs one `match` at a time:
 * matching is synchronous and JavaScript runs one call at a time, so this only rules out calling
 * a matcher from inside its own `match` (a getter of the event object doing so, say).
 */
import { expandPattern } from './expand-pattern.ts';
import { FieldIndex } from './field-index.ts';
import { flattenEvent } from './flatten-event.ts';
import { TextScanner } from './flatten-event-text.ts';
import { parseEventText } from './json-text.ts';
import { LeafBuffer } from './leaf-buffer.ts';
import { MatchRun, type CompiledField, type CompiledSubRule, type MatchPlan } from './match-run.ts';
import type { Condition, Pattern, PatternField } from './pattern.ts';
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
  /**
   * Sub-rules checked for array consistency and absences. (A sub-rule of one field without
   * `exists: false` matches on its hit and needs no check: it is not counted.)
   */
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
  const subRules: CompiledSubRule[] = [];
  const slotSubRule: number[] = [];
  const slotRule: number[] = [];
  const paths: string[] = [];
  const pathIds = new Map<string, number>();
  const indexes: FieldIndex[] = [];
  const absenceOnly: number[] = [];
  const pathId = (path: string): number => {
    let id = pathIds.get(path);
    if (id === undefined) {
      id = paths.length;
      pathIds.set(path, id);
      paths.push(path);
      // a path whose fields are all tested directly still has an (empty) index: its leaves are kept
      indexes.push(new FieldIndex());
    }
    return id;
  };

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
      // one field and no absence: a hit on its slot is a match, with nothing left to check
      const outright = sub.fields.length === 1 && !isAbsence(sub.fields[0] as PatternField);
      const fields = sub.fields.map((field, fieldIndex): CompiledField => {
        const slot = slotSubRule.length;
        slotSubRule.push(subIndex);
        slotRule.push(outright ? ruleIndex : -1);
        const path = pathId(field.path);
        const absence = isAbsence(field);
        if (anchor >= 0 && fieldIndex !== anchor && !absence) return { path, slot, absence, direct: field.conditions };
        const index = indexes[path] as FieldIndex;
        for (const c of field.conditions) index.add(c, slot);
        return { path, slot, absence, direct: undefined };
      });
      subRules.push({ rule: ruleIndex, fields });
      if (fields.every((f) => f.absence)) absenceOnly.push(subIndex);
    }
  });
  const plan: MatchPlan = {
    ids: rules.map((r) => r.id),
    subRules,
    slotSubRule: Int32Array.from(slotSubRule),
    slotRule: Int32Array.from(slotRule),
    indexes,
    absenceOnly,
  };
  for (const index of indexes) index.build();
  const root = buildPathTrie(paths);
  const leaves = new LeafBuffer(paths.length);
  const scanner = new TextScanner(leaves);
  const run = new MatchRun(plan);
  return {
    size: rules.length,
    match: (event, stats) => {
      flattenEvent(event, root, leaves);
      return run.run(leaves, stats);
    },
    matchText: (text, stats) => {
      // not JSON: parsing it the ordinary way throws the error with the usual wording
      if (!scanner.scan(text, root)) flattenEvent(parseEventText(text), root, leaves);
      return run.run(leaves, stats);
    },
  };
}

const isAbsence = (f: PatternField): boolean => f.conditions.some((c) => c.kind === 'exists' && !c.value);
