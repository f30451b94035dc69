/** The Choice data-test operators and the type each compares (each also has a `...Path` form). */
export type OperandType = 'string' | 'number' | 'boolean' | 'timestamp';

const BASE: Readonly<Record<string, OperandType>> = {
  StringEquals: 'string',
  StringLessThan: 'string',
  StringGreaterThan: 'string',
  StringLessThanEquals: 'string',
  StringGreaterThanEquals: 'string',
  StringMatches: 'string',
  NumericEquals: 'number',
  NumericLessThan: 'number',
  NumericGreaterThan: 'number',
  NumericLessThanEquals: 'number',
  NumericGreaterThanEquals: 'number',
  BooleanEquals: 'boolean',
  TimestampEquals: 'timestamp',
  TimestampLessThan: 'timestamp',
  TimestampGreaterThan: 'timestamp',
  TimestampLessThanEquals: 'timestamp',
  TimestampGreaterThanEquals: 'timestamp',
};

/** Every comparison operator, including the `...Path` variants (except `StringMatchesPath`, which does not exist). */
export const COMPARISON_OPERATORS: Readonly<Record<string, OperandType>> = Object.fromEntries(
  Object.entries(BASE).flatMap(([op, type]) => (op === 'StringMatches' ? [[op, type]] : [[op, type], [`${op}Path`, type]])),
);

export const TYPE_TESTS: readonly string[] = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'];
