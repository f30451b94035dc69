/**
 * A function handler's value as Lambda's Node.js runtime returns it: its JSON. Every place that
 * calls an app function the way Lambda would (the FUNCTION data source of resolvers, a workflow's
 * Lambda task) hands on this, not the value itself: a Date becomes its text, undefined members go,
 * nothing becomes null, and a value JSON cannot hold (a BigInt, a cycle) throws the serializer's
 * TypeError, which fails the invocation as it fails a Lambda function.
 */
export function lambdaResult(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value ?? null) ?? 'null');
}
