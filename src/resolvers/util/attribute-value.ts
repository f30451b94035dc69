/**
 * `util.dynamodb`: plain JSON to DynamoDB attribute values. Numbers stay JSON numbers (`{"N":10}`),
 * as AWS emits them, rather than the strings the DynamoDB wire API uses.
 */

export type AttributeValue = Record<string, unknown>;

/** Cross-realm safe: values come from the resolver sandbox, so no `instanceof` or prototype checks. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The set helpers of `@aws-appsync/utils/dynamodb` return `{SS: [...]}` tagged with this symbol so
 * that `put`/`update` store a set instead of a map holding a list. A symbol cannot collide with
 * user data and is dropped by JSON serialisation.
 */
const SET_TAG: unique symbol = Symbol('switchboard.dynamodb.set');

export function taggedSet(type: 'SS' | 'NS' | 'BS', values: unknown): AttributeValue {
  return { [type]: values, [SET_TAG]: type };
}

export function isTaggedSet(value: unknown): value is AttributeValue {
  return typeof value === 'object' && value !== null && SET_TAG in value;
}

export function toDynamoDB(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: null };
  if (isTaggedSet(value)) {
    const type = (value as { [SET_TAG]: 'SS' | 'NS' | 'BS' })[SET_TAG];
    return { [type]: value[type] };
  }
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      return { N: value };
    case 'bigint':
      return { N: Number(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      return Array.isArray(value) ? toList(value) : { M: toMapValues(value) };
    default:
      return { NULL: null };
  }
}

export function toMapValues(value: unknown): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  if (!isPlainObject(value)) return out;
  for (const [k, v] of Object.entries(value)) {
    // JSON semantics: an undefined property does not exist
    if (v !== undefined) out[k] = toDynamoDB(v);
  }
  return out;
}

export function toList(value: unknown): AttributeValue {
  return { L: Array.isArray(value) ? value.map((v: unknown) => toDynamoDB(v)) : [] };
}

export function toS3Object(key: unknown, bucket: unknown, region: unknown, version?: unknown): AttributeValue {
  const s3: Record<string, unknown> = { key, bucket, region };
  if (version !== undefined && version !== null) s3['version'] = version;
  return { S: JSON.stringify({ s3 }) };
}

/** Accepts the stored string (or its `{S: ...}` wrapper) and returns `{key, bucket, region, version?}`. */
export function fromS3ObjectJson(value: unknown): Record<string, unknown> | null {
  const text = isPlainObject(value) && typeof value['S'] === 'string' ? value['S'] : value;
  if (typeof text !== 'string') return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const s3 = isPlainObject(parsed) ? parsed['s3'] : undefined;
  return isPlainObject(s3) ? { ...s3 } : null;
}

export const dynamodbUtils = Object.freeze({
  toDynamoDB,
  toString: (value: unknown): AttributeValue => ({ S: value }),
  toStringSet: (value: unknown): AttributeValue => ({ SS: value }),
  toNumber: (value: unknown): AttributeValue => ({ N: value }),
  toNumberSet: (value: unknown): AttributeValue => ({ NS: value }),
  toBinary: (value: unknown): AttributeValue => ({ B: value }),
  toBinarySet: (value: unknown): AttributeValue => ({ BS: value }),
  toBoolean: (value: unknown): AttributeValue => ({ BOOL: value }),
  toNull: (): AttributeValue => ({ NULL: null }),
  toList,
  toMap: (value: unknown): AttributeValue => ({ M: toMapValues(value) }),
  toMapValues,
  toS3Object,
  fromS3ObjectJson,
});
