/**
 * A tiny schema language for the config: one description per section drives validation (unknown
 * keys are errors, every problem names its path, what was expected and what was found). Kept here
 * rather than as a dependency so messages read exactly `<path> expects <X>, got <Y>`.
 */
export type Shape =
  | { readonly kind: 'string'; readonly enum?: readonly string[]; readonly pattern?: RegExp; readonly describe?: string }
  | { readonly kind: 'number'; readonly integer?: boolean; readonly min?: number; readonly max?: number }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'function' }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, Field>> }
  | { readonly kind: 'record'; readonly value: Shape }
  | { readonly kind: 'array'; readonly item: Shape }
  /** Picks the variant from the value (e.g. by which keys are present); `undefined` = none fits. */
  | { readonly kind: 'oneOf'; readonly expected: string; readonly pick: (value: Record<string, unknown>) => Shape | undefined }
  | { readonly kind: 'anyOf'; readonly options: readonly Shape[]; readonly expected: string }
  /** Any object: sections later issues define. */
  | { readonly kind: 'open' };

export interface Field {
  readonly shape: Shape;
  readonly required?: boolean;
}

export interface Issue {
  readonly path: string;
  readonly expected: string;
  readonly got: string;
}

export const str = (extra: Omit<Extract<Shape, { kind: 'string' }>, 'kind'> = {}): Shape => ({ kind: 'string', ...extra });
export const obj = (fields: Record<string, Field | Shape>): Shape => ({
  kind: 'object',
  fields: Object.fromEntries(Object.entries(fields).map(([k, f]) => [k, 'shape' in f ? f : { shape: f }])),
});
export const req = (shape: Shape): Field => ({ shape, required: true });
export const record = (value: Shape): Shape => ({ kind: 'record', value });
export const array = (item: Shape): Shape => ({ kind: 'array', item });

export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'object') return 'an object';
  return typeof value;
}

export function describeShape(shape: Shape): string {
  switch (shape.kind) {
    case 'string':
      return shape.describe ?? (shape.enum ? `one of ${shape.enum.map((e) => JSON.stringify(e)).join(', ')}` : 'a string');
    case 'number':
      return shape.integer ? `an integer${shape.min !== undefined ? ` >= ${shape.min}` : ''}${shape.max !== undefined ? ` <= ${shape.max}` : ''}` : 'a number';
    case 'boolean':
      return 'true or false';
    case 'function':
      return 'a function';
    case 'object':
      return `an object with keys ${Object.keys(shape.fields).join(', ')}`;
    case 'record':
      return 'an object';
    case 'array':
      return 'an array';
    case 'oneOf':
    case 'anyOf':
      return shape.expected;
    case 'open':
      return 'an object';
  }
}

const key = (path: string, k: string): string => (/^[A-Za-z_$][\w$]*$/.test(k) ? (path === '' ? k : `${path}.${k}`) : `${path}[${JSON.stringify(k).replaceAll('"', "'")}]`);

export function validate(shape: Shape, value: unknown, path: string, issues: Issue[]): void {
  const fail = (expected: string) => issues.push({ path, expected, got: describeValue(value) });
  switch (shape.kind) {
    case 'string':
      if (typeof value !== 'string' || (shape.enum && !shape.enum.includes(value)) || (shape.pattern && !shape.pattern.test(value))) fail(describeShape(shape));
      return;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value) || (shape.integer && !Number.isInteger(value)) || (shape.min !== undefined && value < shape.min) || (shape.max !== undefined && value > shape.max)) {
        fail(describeShape(shape));
      }
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return;
    case 'function':
      if (typeof value !== 'function') fail('a function');
      return;
    case 'open':
      if (!isPlainObject(value)) fail('an object');
      return;
    case 'array':
      if (!Array.isArray(value)) return void fail('an array');
      value.forEach((item, i) => validate(shape.item, item, `${path}[${i}]`, issues));
      return;
    case 'record':
      if (!isPlainObject(value)) return void fail('an object');
      for (const [k, v] of Object.entries(value)) validate(shape.value, v, key(path, k), issues);
      return;
    case 'object': {
      if (!isPlainObject(value)) return void fail(describeShape(shape));
      for (const [k, field] of Object.entries(shape.fields)) {
        const v = value[k];
        if (v === undefined) {
          if (field.required) issues.push({ path: key(path, k), expected: describeShape(field.shape), got: 'nothing (it is required)' });
          continue;
        }
        validate(field.shape, v, key(path, k), issues);
      }
      for (const k of Object.keys(value)) {
        if (!(k in shape.fields)) issues.push({ path: key(path, k), expected: `no such key (known keys: ${Object.keys(shape.fields).join(', ')})`, got: describeValue(value[k]) });
      }
      return;
    }
    case 'oneOf': {
      if (!isPlainObject(value)) return void fail(shape.expected);
      const variant = shape.pick(value);
      if (variant === undefined) return void fail(shape.expected);
      validate(variant, value, path, issues);
      return;
    }
    case 'anyOf': {
      for (const option of shape.options) {
        const trial: Issue[] = [];
        validate(option, value, path, trial);
        if (trial.length === 0) return;
      }
      fail(shape.expected);
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
