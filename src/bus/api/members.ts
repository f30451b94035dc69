/**
 * Reading members of an untrusted AWS JSON input structure. A member of the wrong JSON type is a
 * `SerializationException` (the request cannot be deserialized); a missing required member is the
 * model's "must not be null" `ValidationException`.
 */
import { BusRequestError, constraintError } from '../rules/index.ts';

export type Input = Readonly<Record<string, unknown>>;

const wrongType = (name: string, expected: string): BusRequestError =>
  new BusRequestError('SerializationException', `Unexpected value for ${name}: expected ${expected}`);

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw wrongType(name, 'a string');
  return value;
}

/** `member` is the camelCase path AWS names in constraint messages (`name`, `rule`). */
export function requiredString(input: Input, name: string, member: string): string {
  const value = optionalString(input, name);
  if (value === undefined) throw constraintError(member, value, 'Member must not be null');
  return value;
}

export function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw wrongType(name, 'an integer');
  return value;
}

export function optionalList(input: Input, name: string): readonly unknown[] | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) throw wrongType(name, 'a list');
  return value;
}

export function isStructure(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
