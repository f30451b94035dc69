/** Definition validation, with AWS's diagnostic codes and messages. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileMachine, formatInvalidDefinition, validateDefinition } from '../../src/workflows/index.ts';

const messages = (definition: unknown): string[] => validateDefinition(definition).map((d) => `${d.code}: ${d.message} at ${d.location ?? 'null'}`);

test('a valid definition has no diagnostics', () => {
  assert.deepEqual(validateDefinition({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }), []);
  assert.deepEqual(validateDefinition('{"StartAt":"A","States":{"A":{"Type":"Succeed"}}}'), []);
});

test('StartAt and States are required (recorded message)', () => {
  assert.deepEqual(messages({}), ['SCHEMA_VALIDATION_FAILED: These fields are required: [States, StartAt] at /']);
  assert.deepEqual(messages({ States: { A: { Type: 'Succeed' } } }), ['SCHEMA_VALIDATION_FAILED: These fields are required: [StartAt] at /']);
  assert.deepEqual(messages(''), ['SCHEMA_VALIDATION_FAILED: Definition must be a valid JSON object at null']);
  assert.equal(validateDefinition('not a definition')[0]?.code, 'INVALID_JSON_DESCRIPTION');
});

test('a Next naming no state and an unreachable state are MISSING_TRANSITION_TARGET', () => {
  assert.deepEqual(messages({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } }), [
    "MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next",
    'MISSING_TRANSITION_TARGET: State "pass2" is not reachable. at /States/pass2',
  ]);
  assert.deepEqual(messages({ StartAt: 'Nope', States: { A: { Type: 'Succeed' } } }), [
    "MISSING_TRANSITION_TARGET: Missing 'Next' target: Nope at /StartAt",
    'MISSING_TRANSITION_TARGET: State "A" is not reachable. at /States/A',
  ]);
});

test('a loop with no terminal state is MISSING_END_STATE', () => {
  assert.deepEqual(messages({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } }), ['MISSING_END_STATE: Workflow has no terminal state at null']);
});

test('a field a state type does not support is refused', () => {
  assert.deepEqual(messages({ StartAt: 'M', States: { M: { Type: 'Pass', TimeoutSeconds: 5, End: true } } }), ["SCHEMA_VALIDATION_FAILED: Field 'TimeoutSeconds' is not supported at /States/M"]);
  assert.deepEqual(messages({ StartAt: 'M', States: { M: { Type: 'Pass', Catch: [], End: true } } })[0], "SCHEMA_VALIDATION_FAILED: Field 'Catch' is not supported at /States/M");
});

test('fields of the other query language are refused', () => {
  assert.deepEqual(messages({ StartAt: 'A', States: { A: { Type: 'Pass', Output: {}, End: true } } }), [
    "SCHEMA_VALIDATION_FAILED: The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage at /States/A",
  ]);
  assert.deepEqual(messages({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONPath', End: true } } }), [
    "SCHEMA_VALIDATION_FAILED: 'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine at /States/A",
  ]);
});

test('state names are unique across the whole machine, branches included', () => {
  const def = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }], End: true } } };
  assert.deepEqual(messages(def), ['DUPLICATE_STATE_NAME: Duplicate State name: P at /States/P/Branches[0]/States/P']);
});

test('transitions cannot leave a branch', () => {
  const def = { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Out' } } }], Next: 'Out' }, Out: { Type: 'Succeed' } } };
  assert.ok(messages(def).includes("MISSING_TRANSITION_TARGET: Missing 'Next' target: Out at /States/P/Branches[0]/States/A/Next"));
});

test('paths, reference paths, intrinsic calls and JSONata expressions must parse', () => {
  assert.ok(messages({ StartAt: 'A', States: { A: { Type: 'Pass', InputPath: 'nope', End: true } } }).some((m) => m.includes("'InputPath' must be a valid JSONPath")));
  assert.ok(messages({ StartAt: 'A', States: { A: { Type: 'Pass', ResultPath: '$.a[*]', End: true } } }).some((m) => m.includes('valid ReferencePath')));
  assert.ok(messages({ StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'x.$': 'States.Format(' }, End: true } } }).some((m) => m.includes("'x.$' must be a valid JSONPath or a valid intrinsic function call")));
  assert.ok(messages({ QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input. %}', End: true } } }).some((m) => m.includes('is not valid')));
});

test('Choice rules need exactly one operator with a value of the right type', () => {
  const choice = (rule: unknown): string[] => messages({ StartAt: 'C', States: { C: { Type: 'Choice', Choices: [{ ...(rule as object), Next: 'D' }] }, D: { Type: 'Succeed' } } });
  assert.deepEqual(choice({ Variable: '$.a', NumericEquals: 1 }), []);
  assert.equal(choice({ Variable: '$.a', NumericEquals: '1' }).length, 1);
  assert.equal(choice({ Variable: '$.a', NumericEquals: 1, StringEquals: 'x' }).length, 1);
  assert.equal(choice({ Variable: '$.a', IsNull: 'yes' }).length, 1);
  assert.deepEqual(choice({ And: [{ Variable: '$.a', IsPresent: true }, { Not: { Variable: '$.b', BooleanEquals: true } }] }), []);
});

test('a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath', () => {
  assert.equal(messages({ StartAt: 'W', States: { W: { Type: 'Wait', End: true } } }).length, 1);
  assert.equal(messages({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true } } }).length, 1);
});

test('States.ALL must be alone in ErrorEquals', () => {
  const def = { StartAt: 'T', States: { T: { Type: 'Task', Resource: 'x', Retry: [{ ErrorEquals: ['States.ALL', 'X'] }], End: true } } };
  assert.deepEqual(messages(def), ["SCHEMA_VALIDATION_FAILED: 'States.ALL' must be the only element of 'ErrorEquals' at /States/T/Retry[0]/ErrorEquals"]);
});

test('compileMachine throws with the CreateStateMachine message', () => {
  assert.throws(
    () => compileMachine({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } }),
    { message: "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'" },
  );
  assert.equal(formatInvalidDefinition([{ code: 'MISSING_END_STATE', message: 'Workflow has no terminal state', severity: 'ERROR' }]), "Invalid State Machine Definition: 'MISSING_END_STATE: Workflow has no terminal state at null'");
});
