/**
 * DynamoDB attribute values: the typed wire form (`{"S": "x"}`, `{"N": "10"}`) items are stored in,
 * and the conversions to and from plain JSON that AppSync applies at the resolver boundary.
 *
 * Numbers are kept as their decimal text (`N` is a string, as in DynamoDB) so no precision is lost;
 * AppSync resolver code may write `{"N": 10}` with a JSON number, which `normalizeValue` accepts.
 * Binary values are base64 text.
 */
export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly B: string }
  | { readonly BOOL: boolean }
  | { readonly NULL: true }
  | { readonly L: readonly AttributeValue[] }
  | { readonly M: Readonly<Record<string, AttributeValue>> }
  | { readonly SS: readonly string[] }
  | { readonly NS: readonly string[] }
  | { readonly BS: readonly string[] };

export type Item = Readonly<Record<string, AttributeValue>>;

export const ATTRIBUTE_TYPES = ['S', 'N', 'B', 'BOOL', 'NULL', 'L', 'M', 'SS', 'NS', 'BS'] as const;
export type AttributeType = (typeof ATTRIBUTE_TYPES)[number];

/** Thrown for a value that is not a valid attribute value; the message is DynamoDB's wording. */
export class AttributeValueError extends Error {
  override readonly name = 'AttributeValueError';
}

export function typeOf(value: AttributeValue): AttributeType {
  return Object.keys(value)[0] as AttributeType;
}

/**
 * Checks and canonicalises a value received from resolver code or an API client: `N` given as a
 * JSON number becomes its text, `NULL: null` (as `util.dynamodb.toNull()` writes it on AWS) becomes
 * `NULL: true`, sets are checked for emptiness and duplicates.
 */
export function normalizeValue(raw: unknown): AttributeValue {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new AttributeValueError('Supplied AttributeValue is empty, must contain exactly one of the supported datatypes');
  }
  const keys = Object.keys(raw);
  if (keys.length !== 1) {
    throw new AttributeValueError(
      keys.length === 0
        ? 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes'
        : 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes',
    );
  }
  const type = keys[0] as string;
  const v = (raw as Record<string, unknown>)[type];
  switch (type) {
    case 'S':
      if (typeof v !== 'string') break;
      return { S: v };
    case 'N':
      return { N: numberText(v) };
    case 'B':
      if (typeof v !== 'string') break;
      return { B: v };
    case 'BOOL':
      if (typeof v !== 'boolean') break;
      return { BOOL: v };
    case 'NULL':
      if (v !== true && v !== null) break;
      return { NULL: true };
    case 'L':
      if (!Array.isArray(v)) break;
      return { L: v.map(normalizeValue) };
    case 'M':
      if (v === null || typeof v !== 'object' || Array.isArray(v)) break;
      return { M: normalizeItem(v) };
    case 'SS':
    case 'BS': {
      if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) break;
      checkSet(v as string[], type);
      return type === 'SS' ? { SS: v as string[] } : { BS: v as string[] };
    }
    case 'NS': {
      if (!Array.isArray(v)) break;
      const texts = v.map(numberText);
      checkSet(texts.map(canonicalNumber), 'NS');
      return { NS: texts };
    }
    default:
      throw new AttributeValueError(`Supplied AttributeValue has an unsupported datatype: ${type}`);
  }
  throw new AttributeValueError(`Supplied AttributeValue for type ${type} has an invalid value`);
}

export function normalizeItem(raw: unknown): Record<string, AttributeValue> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new AttributeValueError('Item must be a map of attribute values');
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(raw)) out[k] = normalizeValue(v);
  return out;
}

function checkSet(values: readonly string[], type: string): void {
  if (values.length === 0) throw new AttributeValueError('One or more parameter values were invalid: An string set  may not be empty'.replace('string', type === 'NS' ? 'number' : type === 'BS' ? 'binary' : 'string'));
  if (new Set(values).size !== values.length) throw new AttributeValueError(`One or more parameter values were invalid: Input collection contains duplicates`);
}

function numberText(v: unknown): string {
  if (typeof v === 'number' && Number.isFinite(v)) return checkNumberRange(String(v));
  if (typeof v === 'string' && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(v)) return checkNumberRange(v.trim());
  throw new AttributeValueError(`The parameter cannot be converted to a numeric value: ${String(v)}`);
}

/**
 * DynamoDB's number limits: 38 significant digits, magnitude from 1E-130 to below 1E+126. Checked
 * on input so exact decimal arithmetic and key texts never meet an unbounded exponent.
 */
function checkNumberRange(text: string): string {
  const [mantissa = '', exp = '0'] = text.replace(/^[+-]/, '').toLowerCase().split('e');
  const [whole = '', fraction = ''] = mantissa.split('.');
  let digits = whole + fraction;
  // The value is 0.<digits> x 10^point once leading zeros are gone.
  let point = whole.length + Number(exp);
  const leading = /^0*/.exec(digits)?.[0].length ?? 0;
  digits = digits.slice(leading).replace(/0+$/, '');
  point -= leading;
  if (digits === '') return text;
  if (digits.length > 38) throw new AttributeValueError('Attempting to store more than 38 significant digits in a Number');
  if (point - 1 > 125) throw new AttributeValueError('Number overflow. Attempting to store a number with magnitude larger than supported range');
  if (point - 1 < -130) throw new AttributeValueError('Number underflow. Attempting to store a number with magnitude smaller than supported range');
  return text;
}

/** Numbers compare by value: `"1.0"` and `"1"` are the same number. */
export function canonicalNumber(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

/** Plain JSON to an attribute value, as `util.dynamodb.toDynamoDB` does (numbers kept as numbers' text). */
export function marshall(value: unknown): AttributeValue {
  if (value === null || value === undefined) return { NULL: true };
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') return { N: String(value) };
  if (typeof value === 'boolean') return { BOOL: value };
  if (Array.isArray(value)) return { L: value.map(marshall) };
  if (typeof value === 'object') return { M: marshallItem(value as Record<string, unknown>) };
  throw new AttributeValueError(`cannot store a value of type ${typeof value}`);
}

export function marshallItem(value: Readonly<Record<string, unknown>>): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = marshall(v);
  return out;
}

/** Attribute value to plain JSON, as AppSync hands DynamoDB results to `ctx.result`. Sets become arrays. */
export function unmarshall(value: AttributeValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('B' in value) return value.B;
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(unmarshall);
  if ('M' in value) return unmarshallItem(value.M);
  if ('SS' in value) return [...value.SS];
  if ('NS' in value) return value.NS.map(Number);
  return [...value.BS];
}

export function unmarshallItem(item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(item)) out[k] = unmarshall(v);
  return out;
}

/** Deep equality with DynamoDB's rules: numbers by value, sets regardless of order. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return false;
  switch (ta) {
    case 'N':
      return Number((a as { N: string }).N) === Number((b as { N: string }).N);
    case 'L': {
      const la = (a as { L: AttributeValue[] }).L;
      const lb = (b as { L: AttributeValue[] }).L;
      return la.length === lb.length && la.every((x, i) => valuesEqual(x, lb[i] as AttributeValue));
    }
    case 'M': {
      const ma = (a as { M: Item }).M;
      const mb = (b as { M: Item }).M;
      const ka = Object.keys(ma);
      return ka.length === Object.keys(mb).length && ka.every((k) => mb[k] !== undefined && valuesEqual(ma[k] as AttributeValue, mb[k] as AttributeValue));
    }
    case 'SS':
    case 'BS':
    case 'NS': {
      const norm = (v: AttributeValue) => new Set(((v as unknown as Record<string, string[]>)[ta] ?? []).map((x) => (ta === 'NS' ? canonicalNumber(x) : x)));
      const sa = norm(a);
      const sb = norm(b);
      return sa.size === sb.size && [...sa].every((x) => sb.has(x));
    }
    default:
      return (a as Record<string, unknown>)[ta] === (b as Record<string, unknown>)[ta];
  }
}

/**
 * Ordering for key values and comparison operators: `S` by UTF-8 bytes, `N` numerically, `B` by
 * bytes. Returns undefined for types that do not order (DynamoDB's comparison then yields false).
 */
export function compareValues(a: AttributeValue, b: AttributeValue): number | undefined {
  const ta = typeOf(a);
  if (ta !== typeOf(b)) return undefined;
  if (ta === 'N') return Math.sign(Number((a as { N: string }).N) - Number((b as { N: string }).N));
  if (ta === 'S') return Buffer.compare(Buffer.from((a as { S: string }).S, 'utf8'), Buffer.from((b as { S: string }).S, 'utf8'));
  if (ta === 'B') return Buffer.compare(Buffer.from((a as { B: string }).B, 'base64'), Buffer.from((b as { B: string }).B, 'base64'));
  return undefined;
}

/** Approximate stored size in bytes, for DynamoDB's 400 KB item limit. */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [k, v] of Object.entries(item)) size += Buffer.byteLength(k) + valueSize(v);
  return size;
}

function valueSize(v: AttributeValue): number {
  if ('S' in v) return Buffer.byteLength(v.S);
  if ('N' in v) return Math.ceil(v.N.length / 2) + 1;
  if ('B' in v) return Buffer.from(v.B, 'base64').length;
  if ('BOOL' in v || 'NULL' in v) return 1;
  if ('L' in v) return 3 + v.L.reduce((s, x) => s + 1 + valueSize(x), 0);
  if ('M' in v) return 3 + Object.entries(v.M).reduce((s, [k, x]) => s + 1 + Buffer.byteLength(k) + valueSize(x), 0);
  if ('SS' in v) return v.SS.reduce((s, x) => s + Buffer.byteLength(x), 0);
  if ('NS' in v) return v.NS.reduce((s, x) => s + Math.ceil(x.length / 2) + 1, 0);
  return v.BS.reduce((s, x) => s + Buffer.from(x, 'base64').length, 0);
}
