/**
 * `$or` expansion: a pattern becomes the list of its conjunctions (sub-rules), the cross product
 * of the branches of every `$or`. Both matchers work on sub-rules; the limits are AWS's.
 */
import { PatternError } from './pattern-error.ts';
import { MAX_FIELDS_PER_SUB_RULE, MAX_SUB_RULES, type PatternField, type PatternGroup, type SubRule } from './pattern.ts';

export const TOO_MANY_COMBINATIONS = `The $or expansion of the pattern exceeds ${MAX_SUB_RULES} combinations`;
export const TOO_MANY_FIELDS = `A rule may not have more than ${MAX_FIELDS_PER_SUB_RULE} fields`;

function expandGroup(group: PatternGroup): PatternField[][] {
  let result: PatternField[][] = [[...group.fields]];
  for (const or of group.ors) {
    const options = or.flatMap(expandGroup);
    if (result.length * options.length > MAX_SUB_RULES) throw new PatternError(TOO_MANY_COMBINATIONS);
    result = result.flatMap((base) => options.map((opt) => [...base, ...opt]));
  }
  return result;
}

export function expandPattern(pattern: PatternGroup): SubRule[] {
  const subRules = expandGroup(pattern).map((fields) => ({ fields }));
  for (const s of subRules) {
    if (s.fields.length > MAX_FIELDS_PER_SUB_RULE) throw new PatternError(TOO_MANY_FIELDS);
  }
  return subRules;
}
