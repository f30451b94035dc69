/**
 * EventBridge pattern validation conformance: the 194 patterns of
 * ../shared/conformance/eventbridge/pattern-validation.json are accepted or refused as recorded,
 * with AWS's message (`Event pattern is not valid. Reason: <reason>`; for event-ruler entries the
 * reason is event-ruler's exception message, which AWS shows verbatim).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PatternError, parsePattern } from '../../../src/bus/patterns/index.ts';
import { loadData } from './conformance-data.ts';

interface ValidationCase {
  readonly name: string;
  readonly pattern?: unknown;
  readonly patternText?: string;
  readonly valid: boolean;
  readonly error?: string;
  readonly oracle: string;
}

/**
 * Entries we knowingly fail, by pattern text, with the reason. Each one is where live AWS and the
 * event-ruler build that produced the entry word the same error differently; we follow AWS.
 */
const KNOWN_FAILURES: ReadonlyMap<string, string> = new Map([
  [
    '{"a":[{"anything-but":{"equals-ignore-case":[1,2,3]}}]}',
    'AWS says "Inside anything-but/equals-ignore-case list, ..." (recorded for [123, 456]); this event-ruler build says "anything-but/ignore-case"',
  ],
  [
    '{"a":[{"anything-but":{"equals-ignore-case":5}}]}',
    'AWS says "Inside anything-but/equals-ignore-case list, ..." (recorded for 123); this event-ruler build says "anything-but/ignore-case"',
  ],
  [
    '{"a":[{"anything-but":{"wildcard":27}}]}',
    'AWS says "wildcard match pattern must be a string" (recorded for 123); this event-ruler build says "Unsupported anything-but wildcard"',
  ],
  [
    '{"a":[{"anything-but":{"wildcard":[1,2,3]}}]}',
    'AWS says "wildcard match pattern must be a string" (recorded for [123, "*/dir/*"]); this event-ruler build says "Unsupported anything-but wildcard"',
  ],
]);

const PREFIX = 'Event pattern is not valid. Reason: ';

function outcome(text: string): string | undefined {
  try {
    parsePattern(text);
    return undefined;
  } catch (error) {
    assert.ok(error instanceof PatternError, `expected PatternError, got ${String(error)}`);
    assert.equal(error.code, 'SB_BUS_PATTERN_INVALID');
    return error.message;
  }
}

function expected(c: ValidationCase): string | undefined {
  if (c.valid || c.error === undefined) return undefined;
  // event-ruler entries record `<JavaException>: <reason>`; AWS shows the reason after PREFIX
  return c.error.startsWith(PREFIX) ? c.error : PREFIX + c.error.replace(/^[A-Za-z]+Exception: /, '');
}

const { data: cases, skip } = loadData<ValidationCase[]>('pattern-validation.json');

test('pattern-validation.json holds the 194 documented patterns', { skip }, () => {
  assert.equal(cases?.length, 194);
});

for (const c of cases ?? []) {
  const text = c.patternText ?? JSON.stringify(c.pattern);
  const known = KNOWN_FAILURES.get(text);
  test(`${c.oracle}: ${c.name}: ${text.slice(0, 80)}`, () => {
    const got = outcome(text);
    if (known !== undefined) {
      assert.notEqual(got, expected(c), `listed as failing (${known}) but passes now: remove it`);
      assert.notEqual(got, undefined, 'must still be refused');
      return;
    }
    if (c.valid) assert.equal(got, undefined);
    else if (c.error === undefined) assert.notEqual(got, undefined);
    else assert.equal(got, expected(c));
  });
}

test('every known failure names an existing entry', { skip }, () => {
  const texts = new Set((cases ?? []).map((c) => c.patternText ?? JSON.stringify(c.pattern)));
  for (const t of KNOWN_FAILURES.keys()) assert.ok(texts.has(t), t);
});
