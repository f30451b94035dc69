/** The DynamoDB expression language: condition, filter, update, key condition and projection expressions. */
export type { Compiled, ExpressionInput } from './compiled.ts';
export { ExpressionError, type ExpressionKind } from './expression-error.ts';
export { compileCondition, type CompiledCondition } from './compile-condition.ts';
export { compileUpdate, type CompiledUpdate } from './compile-update.ts';
export { compileKeyCondition, type KeyCondition, type SortKeyOperator } from './compile-key-condition.ts';
export { compileProjection, type CompiledProjection } from './compile-projection.ts';
export { assertAllUsed } from './assert-all-used.ts';
export { isReservedWord, RESERVED_WORDS } from './reserved-words.ts';
export type { PathElement } from './ast.ts';
