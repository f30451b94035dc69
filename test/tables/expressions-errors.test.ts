import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../src/tables/attribute-value.ts';
import { assertAllUsed, compileCondition, compileUpdate, ExpressionError, RESERVED_WORDS } from '../../src/tables/expressions/index.ts';

const values: Record<string, AttributeValue> = { ':v': { S: 'x' }, ':n': { N: '1' }, ':five': { N: '5' }, ':l': { L: [] }, ':ss': { SS: ['a'] } };

function conditionFails(expression: string, message: string, kind: 'ConditionExpression' | 'FilterExpression' = 'ConditionExpression'): void {
  assert.throws(() => compileCondition({ expression, values, names: { '#a': 'a' } }, kind), (e: unknown) => e instanceof ExpressionError && e.message === message);
}

function updateFails(expression: string, message: string): void {
  assert.throws(() => compileUpdate({ expression, values }), (e: unknown) => e instanceof ExpressionError && e.message === message);
}

describe('syntax errors quote the token and its neighbours', () => {
  it('in condition expressions', () => {
    conditionFails('a = ', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="');
    conditionFails('a', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "a"');
    conditionFails('a = :v AND', 'Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"');
    conditionFails('a ! :v', 'Invalid ConditionExpression: Syntax error; token: "!", near: "a ! :v"');
    conditionFails('a = :v b = :v', 'Invalid ConditionExpression: Syntax error; token: "b", near: ":v b ="');
  });

  it('in update expressions', () => {
    updateFails('SET a = ', 'Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "="');
    updateFails('a = :v', 'Invalid UpdateExpression: Syntax error; token: "a", near: "a ="');
    updateFails('SET a = :v + :n + :n', 'Invalid UpdateExpression: Syntax error; token: "+", near: ":n + :n"');
    updateFails('ADD a b', 'Invalid UpdateExpression: Syntax error; token: "b", near: "a b"');
  });

  it('an empty expression', () => {
    conditionFails('  ', 'Invalid ConditionExpression: The expression can not be empty;');
    updateFails('', 'Invalid UpdateExpression: The expression can not be empty;');
  });
});

describe('reserved words and placeholders', () => {
  it('knows the full list of 573 reserved words', () => {
    assert.equal(RESERVED_WORDS.size, 573);
    for (const w of ['STATUS', 'NAME', 'DATA', 'DATE', 'USER', 'COUNT', 'ZONE', 'ABORT']) assert.equal(RESERVED_WORDS.has(w), true, w);
  });

  it('refuses a reserved word as a bare attribute name, in any case', () => {
    conditionFails('status = :v', 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status');
    conditionFails('a.Data = :v', 'Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Data');
    updateFails('SET #x = :v, count = :n', 'Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x');
    updateFails('SET count = :n', 'Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: count');
  });

  it('refuses an undefined name or value placeholder', () => {
    conditionFails('#zz = :v', 'Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #zz');
    conditionFails('a = :zz', 'Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :zz');
    updateFails('SET a = :zz', 'Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :zz');
  });

  it('assertAllUsed lists unused names first, then unused values', () => {
    const c = compileCondition({ expression: '#a = :v', names: { '#a': 'a', '#b': 'b', '#c': 'c' }, values });
    assert.throws(() => assertAllUsed({ '#a': 'a', '#b': 'b', '#c': 'c' }, values, [c]), { message: 'Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #c}' });
    assert.throws(() => assertAllUsed({ '#a': 'a' }, { ':v': { S: 'x' }, ':w': { S: 'y' } }, [c]), { message: 'Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}' });
  });

  it('assertAllUsed accepts placeholders used by any of the expressions', () => {
    const c = compileCondition({ expression: 'a = :v', values });
    const u = compileUpdate({ expression: 'SET #a = :n', names: { '#a': 'a' }, values });
    assert.doesNotThrow(() => assertAllUsed({ '#a': 'a' }, { ':v': values[':v'] as AttributeValue, ':n': values[':n'] as AttributeValue }, [c, u]));
    assert.doesNotThrow(() => assertAllUsed(undefined, undefined, []));
  });
});

describe('semantic errors in conditions', () => {
  it('unknown functions and functions used in the wrong place', () => {
    conditionFails('foo(a)', 'Invalid ConditionExpression: Invalid function name; function: foo');
    conditionFails('if_not_exists(a, :v)', 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: if_not_exists');
    conditionFails('a = begins_with(a, :v)', 'Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: begins_with');
  });

  it('wrong number or kind of operands', () => {
    conditionFails('begins_with(a)', 'Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 1');
    conditionFails('attribute_exists(:v)', 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists');
    conditionFails('size(:v) > :n', 'Invalid ConditionExpression: Operator or function requires a document path; operator or function: size');
    conditionFails('begins_with(a, :n)', 'Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N');
  });

  it('attribute_type with an unknown type name', () => {
    assert.throws(() => compileCondition({ expression: 'attribute_type(a, :t)', values: { ':t': { S: 'STRING' } } }), {
      message: 'Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M }',
    });
  });

  it('BETWEEN with inverted literal bounds', () => {
    conditionFails('a BETWEEN :five AND :n', 'Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:1}');
  });

  it('IN with more than 100 operands', () => {
    const list = Array.from({ length: 101 }, () => ':n').join(', ');
    conditionFails(`a IN (${list})`, 'Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101');
    assert.doesNotThrow(() => compileCondition({ expression: `a IN (${Array.from({ length: 100 }, () => ':n').join(', ')})`, values: { ':n': { N: '1' } } }));
  });

  it('redundant parentheses', () => {
    conditionFails('((a = :v))', 'Invalid ConditionExpression: The expression has redundant parentheses;');
    assert.doesNotThrow(() => compileCondition({ expression: '(a = :v) AND (#a = :v)', values: { ':v': { S: 'x' } }, names: { '#a': 'a' } }));
  });

  it('uses the FilterExpression prefix for filters', () => {
    conditionFails('status = :v', 'Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status', 'FilterExpression');
  });
});

describe('semantic errors in updates', () => {
  it('each clause at most once', () => {
    updateFails('SET a = :v SET b = :v', 'Invalid UpdateExpression: The "SET" section can only be used once in an update expression;');
    updateFails('REMOVE a ADD b :n REMOVE c', 'Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;');
  });

  it('overlapping and conflicting paths', () => {
    updateFails('SET a = :v REMOVE a', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]');
    updateFails('SET a.b[1] = :v, a.b = :v', 'Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b, [1]], path two: [a, b]');
    updateFails('SET a.b = :v, a[0] = :v', 'Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]');
    assert.doesNotThrow(() => compileUpdate({ expression: 'SET a.b = :v, a.c = :v REMOVE l[0], l[1]', values: { ':v': { S: 'x' } } }));
  });

  it('literal operands of the wrong type', () => {
    updateFails('SET a = a + :v', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S');
    updateFails('SET a = list_append(a, :v)', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S');
    updateFails('ADD a :v', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: ADD, operand type: S');
    updateFails('DELETE a :n', 'Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: DELETE, operand type: N');
  });

  it('functions in the wrong place', () => {
    updateFails('SET a = size(b)', 'Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: size');
    updateFails('SET a = nope(b)', 'Invalid UpdateExpression: Invalid function name; function: nope');
    updateFails('SET a = if_not_exists(:v, b)', 'Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists');
  });
});
