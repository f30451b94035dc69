/**
 * The per-event half of the compiled matcher: given the event's leaves (a `LeafBuffer`), query the
 * field index of each leaf's path for the slots it satisfies, then confirm the candidate sub-rules.
 *
 * A slot whose sub-rule has a single field is a match as soon as it is hit (no consistency or
 * absence to check): those rules are recorded directly. Other slots collect their hit leaves, and
 * their sub-rules become candidates checked for array consistency and absences.
 *
 * Everything per event lives in arrays allocated once per matcher and reset by a generation
 * stamp (an entry counts only when its stamp is the current event's), so an event allocates
 * nothing here but its result: no maps or sets, whatever the number of rules and hits.
 *
 * Concurrency: one `MatchRun` per matcher; `run` is synchronous and not reentrant.
 */
import type { Condition } from './pattern.ts';
import type { FieldIndex, IndexStats } from './field-index.ts';
import { IdList } from './id-list.ts';
import { RuleBits } from './rule-bits.ts';
import { consistent, type ArrayChain, type LeafBuffer } from './leaf-buffer.ts';
import { leafMatches } from './leaf-predicate.ts';
import type { Leaf } from './leaf.ts';

/** Counted work for one `match` call; see `MatchStats` in compile-rules.ts. */
export interface RunStats extends IndexStats {
  leaves: number;
  subRulesChecked: number;
}

export interface CompiledField {
  /** The path's id (its position in `MatchPlan.indexes`). */
  readonly path: number;
  readonly slot: number;
  /** Whether the field lists `exists: false`. */
  readonly absence: boolean;
  /** Set when the field is not in the shared index: its leaves are tested directly, and only for candidate sub-rules. */
  readonly direct: readonly Condition[] | undefined;
}

export interface CompiledSubRule {
  readonly rule: number;
  readonly fields: readonly CompiledField[];
}

/** What `compileRules` builds: immutable, shared by every event. */
export interface MatchPlan {
  readonly ids: readonly string[];
  readonly subRules: readonly CompiledSubRule[];
  /** Per slot: its sub-rule. */
  readonly slotSubRule: Int32Array;
  /** Per slot: the rule a hit matches outright (its sub-rule has this one field), else -1. */
  readonly slotRule: Int32Array;
  /** Per path id: the conditions registered on it. */
  readonly indexes: readonly FieldIndex[];
  /** Sub-rules made of `exists: false` fields only: candidates for every event. */
  readonly absenceOnly: readonly number[];
}

const MAX_STAMP = 0xffff_ffff;

export class MatchRun {
  private readonly plan: MatchPlan;
  private stamp = 0;
  /** The rules matched so far (emptied as the result is read). */
  private readonly rules: RuleBits;
  private readonly subStamp: Uint32Array;
  /** Per slot hit this event: the first entry of its list of hit leaves (`hitLeaf`, `hitNext`). */
  private readonly slotStamp: Uint32Array;
  private readonly slotHead: Int32Array;
  private readonly hitLeaf: number[] = [];
  private readonly hitNext: number[] = [];
  private hitCount = 0;
  private readonly slots = new IdList();
  private readonly candidates = new IdList();
  /** The leaves' array chains chosen so far in the consistency search, and the absent fields. */
  private readonly chosen: (ArrayChain | undefined)[] = [];
  private readonly absent: CompiledField[] = [];
  private leaves: LeafBuffer | undefined;

  constructor(plan: MatchPlan) {
    this.plan = plan;
    this.rules = new RuleBits(plan.ids.length);
    this.subStamp = new Uint32Array(plan.subRules.length);
    this.slotStamp = new Uint32Array(plan.slotSubRule.length);
    this.slotHead = new Int32Array(plan.slotSubRule.length);
  }

  /** Ids of the rules the event whose leaves are in `leaves` matches, in rule order. */
  run(leaves: LeafBuffer, stats: RunStats | undefined): string[] {
    const plan = this.plan;
    const stamp = this.nextStamp();
    this.leaves = leaves;
    this.hitCount = 0;
    const candidates = this.candidates;
    const slotRule = plan.slotRule;
    const slots = this.slots;
    const rules = this.rules;
    rules.clear();
    candidates.length = 0;
    for (const sub of plan.absenceOnly) this.addCandidate(sub, stamp);
    const count = leaves.length;
    if (stats !== undefined) stats.leaves += count;
    for (let leaf = 0; leaf < count; leaf++) {
      const index = plan.indexes[leaves.paths[leaf] as number] as FieldIndex;
      if (index.empty) continue;
      slots.length = 0;
      index.query(leaves.values[leaf] as Leaf, slots, stats);
      const items = slots.items;
      for (let k = 0; k < slots.length; k++) {
        const slot = items[k] as number;
        const rule = slotRule[slot] as number;
        if (rule < 0) {
          if (this.addHit(slot, leaf, stamp)) this.addCandidate(plan.slotSubRule[slot] as number, stamp);
        } else rules.add(rule);
      }
    }
    for (let c = 0; c < candidates.length; c++) {
      const sub = plan.subRules[candidates.at(c)] as CompiledSubRule;
      if (rules.has(sub.rule) || !this.hasEveryField(sub, stamp, stats)) continue;
      if (stats !== undefined) stats.subRulesChecked++;
      if (this.search(sub, 0, 0, 0, stamp)) rules.add(sub.rule);
    }
    this.leaves = undefined;
    return rules.takeIds(plan.ids);
  }

  private nextStamp(): number {
    if (this.stamp === MAX_STAMP) {
      this.subStamp.fill(0);
      this.slotStamp.fill(0);
      this.stamp = 0;
    }
    return ++this.stamp;
  }

  private addCandidate(sub: number, stamp: number): void {
    if (this.subStamp[sub] === stamp) return;
    this.subStamp[sub] = stamp;
    this.candidates.push(sub);
  }

  /** Records that `leaf` satisfies `slot`; true on the slot's first hit of the event. */
  private addHit(slot: number, leaf: number, stamp: number): boolean {
    const first = this.slotStamp[slot] !== stamp;
    if (first) {
      this.slotStamp[slot] = stamp;
      this.slotHead[slot] = -1;
    } else if (this.hitLeaf[this.slotHead[slot] as number] === leaf) return false; // (a slot may be emitted twice for one leaf)
    const k = this.hitCount++;
    this.hitLeaf[k] = leaf;
    this.hitNext[k] = this.slotHead[slot] as number;
    this.slotHead[slot] = k;
    return first;
  }

  /**
   * Whether every field of a candidate sub-rule has hit leaves (or may be absent). A candidate
   * through its anchor has its other fields tested on the event's leaves here.
   */
  private hasEveryField(sub: CompiledSubRule, stamp: number, stats: RunStats | undefined): boolean {
    const leaves = this.leaves as LeafBuffer;
    for (const f of sub.fields) {
      if (f.direct !== undefined && this.slotStamp[f.slot] !== stamp) {
        for (let leaf = leaves.firstAtPath(f.path); leaf >= 0; leaf = leaves.nextAtPath(leaf)) {
          const value = leaves.values[leaf] as Leaf;
          for (const c of f.direct) {
            if (leafMatches(c, value)) {
              this.addHit(f.slot, leaf, stamp);
              break;
            }
          }
        }
        if (stats !== undefined) stats.valueMatcherVisits++;
      }
      if (!f.absence && this.slotStamp[f.slot] !== stamp) return false;
    }
    return true;
  }

  /** Picks one hit leaf per field from field `i` on, pairwise array-consistent, with absent fields absent. */
  private search(sub: CompiledSubRule, i: number, chosen: number, absent: number, stamp: number): boolean {
    const field = sub.fields[i];
    if (field === undefined) return this.absencesHold(chosen, absent);
    if (this.slotStamp[field.slot] === stamp) {
      const arrays = (this.leaves as LeafBuffer).arrays;
      for (let k = this.slotHead[field.slot] as number; k >= 0; k = this.hitNext[k] as number) {
        const chain = arrays[this.hitLeaf[k] as number];
        if (!this.consistentWithChosen(chain, chosen)) continue;
        this.chosen[chosen] = chain;
        if (this.search(sub, i + 1, chosen + 1, absent, stamp)) return true;
      }
    }
    if (field.absence) {
      this.absent[absent] = field;
      if (this.search(sub, i + 1, chosen, absent + 1, stamp)) return true;
    }
    return false;
  }

  private consistentWithChosen(chain: ArrayChain | undefined, chosen: number): boolean {
    if (chain === undefined) return true;
    for (let j = 0; j < chosen; j++) if (!consistent(this.chosen[j], chain)) return false;
    return true;
  }

  /** `exists: false` fields: every leaf at their path sits in another array element than some chosen leaf. */
  private absencesHold(chosen: number, absent: number): boolean {
    const leaves = this.leaves as LeafBuffer;
    for (let a = 0; a < absent; a++) {
      const f = this.absent[a] as CompiledField;
      for (let leaf = leaves.firstAtPath(f.path); leaf >= 0; leaf = leaves.nextAtPath(leaf)) {
        if (this.consistentWithChosen(leaves.arrays[leaf], chosen)) return false;
      }
    }
    return true;
  }
}
