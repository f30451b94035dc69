/**
 * ASL conformance: every case of ../shared/conformance/asl/cases.json (771 executions recorded on
 * AWS by LocalStack's validated tests, 59 hand-written from the Developer Guide) runs through the
 * interpreter with the in-memory driver. Comparison rule (the data's README): the execution's
 * `error` must match exactly; a successful output must be deep-JSON-equal.
 *
 * The data is read in place and never copied into the repository; when it is absent the suite
 * says so and skips (CI requires it). Cases we fail are listed in known-failures.json with the
 * reason, and the suite asserts the failing set is exactly that list, so a fix and a regression
 * both show up.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runToCompletion, type Json, type RunOutcome } from '../../../src/workflows/index.ts';

interface Case {
  readonly name: string;
  readonly definition: unknown;
  readonly input: Json;
  readonly expectedOutput?: Json;
  readonly expectedError?: { readonly error: string | null; readonly cause?: string };
  readonly evidence: 'aws-recorded' | 'hand-written';
  readonly tags: readonly string[];
  readonly historyEventTypes?: readonly string[];
}

const DATA = new URL('../../../../shared/conformance/asl/cases.json', import.meta.url);
const KNOWN_FAILURES = readJson<Record<string, string>>('known-failures.json');
const KNOWN_HISTORY_DIFFERENCES = readJson<Record<string, string>>('known-history-differences.json');

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as T;
}

function loadCases(): { cases: readonly Case[] | undefined; skip: string | false } {
  if (!existsSync(DATA)) {
    const reason = `ASL conformance data not found at ${fileURLToPath(DATA)} (it lives outside the repo, in ../shared/conformance/asl/)`;
    if (process.env['CI'] === 'true') throw new Error(`${reason}; CI requires it`);
    return { cases: undefined, skip: reason };
  }
  return { cases: JSON.parse(readFileSync(DATA, 'utf8')) as Case[], skip: false };
}

interface Checked {
  /** Undefined when we agree with AWS; otherwise what differed. */
  readonly failure: string | undefined;
  readonly causeDiffers: boolean;
  readonly historyDiffers: boolean;
}

/** One check per case. Fixed uuid/random make runs repeatable; no case depends on their values. */
async function check(c: Case): Promise<Checked> {
  let outcome: RunOutcome;
  try {
    outcome = await runToCompletion(c.definition, c.input, { uuid: () => '00000000-0000-4000-8000-000000000000', random: () => 0.5 });
  } catch (error) {
    return { failure: `threw ${String(error)}`, causeDiffers: false, historyDiffers: false };
  }
  const got = outcome.status === 'SUCCEEDED' ? `output ${JSON.stringify(outcome.output)}` : `${outcome.status} error ${JSON.stringify(outcome.error ?? null)} (${outcome.cause ?? 'no cause'})`;
  let failure: string | undefined;
  if (c.expectedError !== undefined) {
    if (outcome.status === 'SUCCEEDED' || outcome.error !== c.expectedError.error) failure = `expected error ${JSON.stringify(c.expectedError.error)}, got ${got}`;
  } else {
    try {
      // As JSON numbers: a JSON round trip makes -0 and 0 (and 1 and 1.0) the same value.
      assert.deepStrictEqual(asJson(outcome.output), asJson(c.expectedOutput));
    } catch {
      failure = `expected output ${JSON.stringify(c.expectedOutput)}, got ${got}`;
    }
  }
  const causeDiffers = c.expectedError?.cause !== undefined && outcome.cause !== c.expectedError.cause;
  return { failure, causeDiffers, historyDiffers: c.historyEventTypes !== undefined && !sameHistory(c, outcome) };
}

function asJson(value: Json | undefined): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Exact order, except that interleaved Parallel/Map events may come in any order (compare as multisets). */
function sameHistory(c: Case, outcome: RunOutcome): boolean {
  const want = c.historyEventTypes ?? [];
  const got = outcome.events.map((e) => e.type);
  if (JSON.stringify(got) === JSON.stringify(want)) return true;
  const concurrent = c.tags.includes('parallel') || c.tags.includes('map');
  return concurrent && JSON.stringify([...got].sort()) === JSON.stringify([...want].sort());
}

const { cases, skip } = loadCases();
const results = new Map<string, Checked>();
for (const c of cases ?? []) results.set(c.name, await check(c));
const failing = [...results].filter(([, r]) => r.failure !== undefined).map(([name]) => name);

test('cases.json holds the 830 documented cases', { skip }, () => {
  assert.equal(cases?.length, 830);
});

for (const c of cases ?? []) {
  const known = KNOWN_FAILURES[c.name];
  const result = results.get(c.name);
  test(`${c.evidence}: ${c.name}`, () => {
    if (known !== undefined) {
      assert.notEqual(result?.failure, undefined, `listed in known-failures.json (${known}) but passes now: remove it`);
      return;
    }
    assert.equal(result?.failure, undefined);
  });
}

test('the failing cases are exactly the ones in known-failures.json', { skip }, () => {
  assert.deepEqual([...failing].sort(), Object.keys(KNOWN_FAILURES).sort());
});

test('at least 99% of the cases pass', { skip }, () => {
  const total = cases?.length ?? 0;
  const passed = total - failing.length;
  assert.ok(passed / total >= 0.99, `${passed}/${total} pass`);
});

test("errors raised by the interpreter carry AWS's recorded cause text", { skip }, () => {
  const differing = [...results].filter(([, r]) => r.causeDiffers).map(([name]) => name);
  assert.deepEqual(differing, []);
});

test('history event types match the recorded histories (multisets where branches interleave)', { skip }, () => {
  const differing = [...results].filter(([, r]) => r.historyDiffers).map(([name]) => name);
  assert.deepEqual(differing.sort(), Object.keys(KNOWN_HISTORY_DIFFERENCES).sort());
});

test('every known failure names an existing case', { skip }, () => {
  const names = new Set((cases ?? []).map((c) => c.name));
  for (const name of [...Object.keys(KNOWN_FAILURES), ...Object.keys(KNOWN_HISTORY_DIFFERENCES)]) assert.ok(names.has(name), name);
});
