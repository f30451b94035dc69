/**
 * The stored form of a step's history events (`src/workflows/engine/history-codec.ts`), one test
 * per rule: every event reads back as it was written (type, details, timestamp, previous event),
 * repeated values are stored once, and texts written before the encoding read as they did.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeHistory, encodeHistory, encodedTypeCodes } from '../../src/workflows/engine/history-codec.ts';
import type { HistoryEvent } from '../../src/workflows/index.ts';

const T0 = 1_796_529_591_218;
const RESOURCE = 'arn:aws:lambda:us-east-1:000000000000:function:work';

/** Events ids `first`... of one step, each following the one before, at T0. */
function events(first: number, ...specs: [type: string, details?: HistoryEvent['details']][]): HistoryEvent[] {
  return specs.map(([type, details], i) => ({ id: first + i, previousEventId: first + i - 1, timestamp: T0, type, ...(details !== undefined ? { details } : {}) }));
}

/**
 * The format as the module header states it, built as arrays and objects and stringified: the
 * encoder writes the text directly, and must write exactly this.
 */
function referenceText(written: readonly HistoryEvent[]): string {
  const codes = encodedTypeCodes();
  const repeatable = (v: unknown): boolean => (typeof v === 'object' && v !== null) || (typeof v === 'string' && v.length >= 24);
  const t0 = written[0]?.timestamp ?? 0;
  const seen: unknown[] = [];
  const out: unknown[] = [t0];
  let id = written[0]?.id ?? 0;
  for (const e of written) {
    const row: unknown[] = [codes.get(e.type) ?? e.type];
    const dt = e.timestamp - t0;
    const prev = e.previousEventId === e.id - 1 ? undefined : e.previousEventId;
    const ownId = e.id === id ? undefined : e.id;
    if (e.details !== undefined) {
      const details: Record<string, unknown> = {};
      for (const key in e.details) {
        const value = e.details[key];
        const tilde = key.startsWith('~');
        const at = repeatable(value) && !tilde ? seen.indexOf(value) : -1;
        if (at >= 0) details[`~${key}`] = at;
        else {
          if (repeatable(value)) seen.push(value);
          details[tilde ? `~${key}` : key] = value;
        }
      }
      row.push(details);
    } else if (dt !== 0 || prev !== undefined || ownId !== undefined) row.push(0);
    if (ownId !== undefined) row.push(dt, e.previousEventId, ownId);
    else if (prev !== undefined) row.push(dt, prev);
    else if (dt !== 0) row.push(dt);
    out.push(row);
    id = e.id + 1;
  }
  return JSON.stringify(out);
}

const roundTrip = (written: readonly HistoryEvent[]): HistoryEvent[] => {
  const first = written[0]?.id ?? 1;
  return decodeHistory({ firstId: first, lastId: first + written.length - 1, text: encodeHistory(written) });
};

/** The first step of a Pass → Choice → Task execution, as the interpreter writes it: outputs are the next inputs. */
function firstStep(): HistoryEvent[] {
  const input = { id: 2 };
  const shaped = { id: 2, stage: 'init' };
  return events(
    1,
    ['ExecutionStarted', { input, roleArn: 'arn:aws:iam::000000000000:role/bench' }],
    ['PassStateEntered', { name: 'Init', input }],
    ['PassStateExited', { name: 'Init', output: shaped }],
    ['ChoiceStateEntered', { name: 'Route', input: shaped }],
    ['ChoiceStateExited', { name: 'Route', output: shaped }],
    ['TaskStateEntered', { name: 'Work', input: shaped }],
    ['TaskScheduled', { resource: RESOURCE, parameters: shaped }],
    ['TaskStarted', { resource: RESOURCE }],
  );
}

test('every event reads back with its id, type, details, timestamp and previous event', () => {
  const written = firstStep();
  assert.deepEqual(roundTrip(written), written);
});

test('the ids of a step start at its first id', () => {
  const written = events(41, ['TaskSucceeded', { resource: RESOURCE, output: { ok: true } }], ['TaskStateExited', { name: 'Work', output: { ok: true } }]);
  assert.deepEqual(roundTrip(written).map((e) => e.id), [41, 42]);
});

test('ids that are not consecutive read back exactly', () => {
  const written = events(1, ['PassStateEntered', { name: 'A', input: 1 }], ['PassStateExited', { name: 'A', output: 1 }], ['MapStateSucceeded'], ['ExecutionSucceeded', { output: 1 }]);
  const gaps = written.map((e, i) => ({ ...e, id: [5, 9, 10, 20][i]!, previousEventId: [4, 5, 9, 10][i]! }));
  assert.deepEqual(decodeHistory({ firstId: 5, lastId: 20, text: encodeHistory(gaps) }), gaps);
});

test('an event without details reads back without details', () => {
  const written = events(5, ['MapStateSucceeded'], ['ParallelStateStarted']);
  const read = roundTrip(written);
  assert.deepEqual(read, written);
  assert.equal('details' in (read[0] as object), false);
});

test('a type the encoding has no number for is stored by its name', () => {
  const written = events(3, ['SomeFutureEvent', { x: 1 }], ['PassStateEntered', { name: 'A', input: null }]);
  assert.deepEqual(roundTrip(written), written);
  assert.match(encodeHistory(written), /"SomeFutureEvent"/);
});

test('timestamps that differ within a step read back exactly, earlier ones too', () => {
  const written = events(1, ['PassStateEntered', { name: 'A', input: 1 }], ['PassStateExited', { name: 'A', output: 1 }], ['WaitStateEntered', { name: 'B', input: 1 }]);
  const mixed = written.map((e, i) => ({ ...e, timestamp: T0 + [0, 7, -3][i]! }));
  assert.deepEqual(roundTrip(mixed), mixed);
});

test('a previous event that is not the one before (a Parallel branch, a Map iteration) reads back', () => {
  const written = events(10, ['PassStateEntered', { name: 'A', input: 1 }], ['PassStateEntered', { name: 'B', input: 2 }], ['MapIterationSucceeded', { name: 'M', index: 0 }]);
  const branched = written.map((e, i) => ({ ...e, previousEventId: [9, 4, 10][i]!, timestamp: T0 + i }));
  assert.deepEqual(roundTrip(branched), branched);
  const noDetails = [{ id: 7, previousEventId: 2, timestamp: T0, type: 'MapStateSucceeded' }];
  assert.deepEqual(roundTrip(noDetails), noDetails);
});

test('a payload or long string an earlier event of the step holds is stored once', () => {
  const text = encodeHistory(firstStep());
  assert.equal(text.split('"stage":"init"').length - 1, 1, 'the shaped input, in four events, is written once');
  assert.equal(text.split(RESOURCE).length - 1, 1, 'the resource ARN, in two events, is written once');
  assert.equal(text.split('"Route"').length - 1, 2, 'a short string (a state name) is written each time');
});

test('equal payloads that are different objects are each written, and read back equal', () => {
  const written = events(1, ['PassStateExited', { name: 'A', output: { n: 1 } }], ['PassStateEntered', { name: 'B', input: { n: 1 } }]);
  const text = encodeHistory(written);
  assert.equal(text.split('"n":1').length - 1, 2);
  assert.deepEqual(roundTrip(written), written);
});

test('payloads of any JSON shape read back, keys in their order, strange characters included', () => {
  const payload = { z: [1, 'two', null, { deep: ['~ref', { '~': 0 }] }], a: 'line\nbreak "quoted" ü 𝄞', '': false, n: -0.5e-7 };
  const written = events(1, ['TaskSucceeded', { resource: RESOURCE, output: payload }], ['TaskStateExited', { name: '~Work', output: payload }], ['ExecutionSucceeded', { output: ['~0', 0] }]);
  const read = roundTrip(written);
  assert.deepEqual(read, written);
  assert.deepEqual(Object.keys(read[0]?.details?.['output'] as object), ['z', 'a', '', 'n']);
});

test('a step is stored in less than half the bytes of its events written as JSON one by one', () => {
  const step = firstStep();
  const json = step.map((e) => JSON.stringify(e)).join('\n');
  assert.ok(encodeHistory(step).length * 2 < json.length, `${encodeHistory(step).length} bytes vs ${json.length}`);
});

test('texts written before the encoding read as they did: one event alone, or several joined by newlines', () => {
  const [a, b] = firstStep();
  assert.deepEqual(decodeHistory({ firstId: 1, lastId: 1, text: JSON.stringify(a) }), [a]);
  assert.deepEqual(decodeHistory({ firstId: 1, lastId: 2, text: `${JSON.stringify(a)}\n${JSON.stringify(b)}` }), [a, b]);
  assert.deepEqual(decodeHistory({ firstId: 6, lastId: 6, text: '{"id":6,\n"type":"X"}' }), [{ id: 6, type: 'X' }], 'a lone event\'s text is parsed whole');
});

test('the text is the format of the header exactly: the structural form stringified', () => {
  const shaped = { id: 2, stage: 'init' };
  const cases: HistoryEvent[][] = [
    [],
    firstStep(),
    events(41, ['TaskSucceeded', { resource: RESOURCE, output: { ok: true } }], ['TaskStateExited', { name: 'Work', output: { ok: true } }]),
    events(3, ['SomeFutureEvent', { x: 1 }], ['PassStateEntered', { name: 'A', input: null }], ['MapStateSucceeded']),
    events(1, ['TaskFailed', { resource: RESOURCE, error: 'States.TaskFailed', cause: 'x'.repeat(40) }], ['ExecutionFailed', { error: 'States.TaskFailed', cause: 'x'.repeat(40) }]),
    // Members JSON leaves out or rewrites: undefined, non-finite numbers, -0, an empty object, odd keys.
    events(1, ['PassStateExited', { name: 'A', output: shaped, skipped: undefined as never, nan: NaN, inf: -Infinity, zero: -0, none: {} }], ['PassStateEntered', { '"odd\nkey': 'ü 𝄞 "q"', input: shaped, 'ünï': [1, undefined as never] }]),
    events(1, ['PassStateExited', { name: 'A', output: shaped }], ['SomeFutureEvent', { '~odd': shaped, '~~odder': 'x', '~': 2, again: shaped }]),
    events(1, ['PassStateEntered', { name: 'A', input: 1 }], ['PassStateExited', { name: 'A', output: 1 }], ['WaitStateEntered', { name: 'B', input: 1 }]).map((e, i) => ({ ...e, timestamp: T0 + [0, 7, -3][i]!, id: [5, 9, 10][i]!, previousEventId: [4, 2, 9][i]! })),
  ];
  for (const written of cases) assert.equal(encodeHistory(written), referenceText(written));
});

test('a detail key that starts with ~ reads back as itself, its value written out even when repeated', () => {
  const shared = { n: 1 };
  const written = events(1, ['PassStateExited', { name: 'A', output: shared }], ['SomeFutureEvent', { '~odd': shared, '~~odder': 'x', '~': 2 }]);
  assert.deepEqual(roundTrip(written), written);
});
