/**
 * EventBridge pattern conformance: every case of ../shared/conformance/eventbridge/cases.json runs
 * through the compiled matcher and the naive reference matcher, and both must give the expected
 * answer (`patternText`/`eventText` are used when present: they carry what a JSON round trip loses).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileRules, matchesNaive, parseEventText, parsePattern } from '../../../src/bus/patterns/index.ts';
import { loadData } from './conformance-data.ts';

interface Case {
  readonly name: string;
  readonly pattern: unknown;
  readonly patternText?: string;
  readonly event: unknown;
  readonly eventText?: string;
  readonly matches: boolean;
  readonly oracle: string;
}

/**
 * Cases we knowingly fail, with the reason. The suite asserts they still fail, so a fix is noticed
 * and the entry removed. Currently none.
 */
const KNOWN_FAILURES: ReadonlyMap<string, string> = new Map([]);

function check(c: Case): { compiled: boolean; naive: boolean } {
  const pattern = parsePattern(c.patternText ?? JSON.stringify(c.pattern));
  const event = parseEventText(c.eventText ?? JSON.stringify(c.event));
  return {
    compiled: compileRules([{ id: 'r', pattern }]).match(event).length === 1,
    naive: matchesNaive(pattern, event),
  };
}

const { data: cases, skip } = loadData<Case[]>('cases.json');

test('cases.json holds the 743 documented cases', { skip }, () => {
  assert.equal(cases?.length, 743);
});

for (const c of cases ?? []) {
  const known = KNOWN_FAILURES.get(c.name);
  test(`${c.oracle}: ${c.name}`, () => {
    if (known !== undefined) {
      const r = check(c);
      assert.ok(r.compiled !== c.matches || r.naive !== c.matches, `listed as failing (${known}) but passes now: remove it`);
      return;
    }
    const r = check(c);
    assert.equal(r.naive, c.matches, 'naive matcher');
    assert.equal(r.compiled, c.matches, 'compiled matcher');
  });
}

test('every known failure names an existing case', { skip }, () => {
  const names = new Set((cases ?? []).map((c) => c.name));
  for (const name of KNOWN_FAILURES.keys()) assert.ok(names.has(name), name);
});

test('all cases compiled into one matcher give the same answers as one at a time', { skip }, () => {
  // one shared automaton over all 743 patterns; each event must select exactly its own verdicts
  const list = (cases ?? []).filter((c) => !KNOWN_FAILURES.has(c.name));
  const matcher = compileRules(list.map((c, i) => ({ id: String(i), pattern: parsePattern(c.patternText ?? JSON.stringify(c.pattern)) })));
  list.forEach((c, i) => {
    const ids = matcher.match(parseEventText(c.eventText ?? JSON.stringify(c.event)));
    assert.equal(ids.includes(String(i)), c.matches, c.name);
  });
});
