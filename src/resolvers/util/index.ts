export { createUtil } from './create-util.ts';
export type { UtilHost } from './create-util.ts';
export { UtilError } from './util-error.ts';
export { dynamodbHelpers } from './dynamodb-helpers.ts';
export { toSubscriptionFilter } from './subscription-filter.ts';
export type { SubscriptionFilter, SubscriptionFilterRule } from './subscription-filter.ts';
export { buildFilterExpression } from './filter-expression.ts';
export type { DynamoDBExpression } from './filter-expression.ts';
