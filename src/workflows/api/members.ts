/** Reading members of an untrusted AWS JSON 1.0 input (Step Functions' camelCase members). */
import { SfnRequestError, validation } from './sfn-error.ts';

export type Input = Readonly<Record<string, unknown>>;

export function optionalString(input: Input, name: string): string | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new SfnRequestError('SerializationException', `Unexpected value for ${name}: expected a string`);
  return value;
}

export function requiredString(input: Input, name: string): string {
  const value = optionalString(input, name);
  if (value === undefined) throw validation(`1 validation error detected: Value null at '${name}' failed to satisfy constraint: Member must not be null`);
  return value;
}

export function optionalInteger(input: Input, name: string): number | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new SfnRequestError('SerializationException', `Unexpected value for ${name}: expected an integer`);
  return value;
}

export function optionalBoolean(input: Input, name: string): boolean | undefined {
  const value = input[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new SfnRequestError('SerializationException', `Unexpected value for ${name}: expected a boolean`);
  return value;
}

/** State machine and execution names: 1-80 characters, none of AWS's forbidden ones. */
const FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/;

export function checkName(name: string): string {
  if (name.length < 1 || name.length > 80 || FORBIDDEN.test(name)) throw new SfnRequestError('InvalidName', `Invalid Name: '${name}'`);
  return name;
}

/** `NextToken` = base64url of the last item's key. */
export function readToken(input: Input): string | undefined {
  const token = optionalString(input, 'nextToken');
  if (token === undefined) return undefined;
  if (!token.startsWith('sb1.')) throw new SfnRequestError('InvalidToken', `Invalid Token: '${token}'`);
  return Buffer.from(token.slice(4), 'base64url').toString('utf8');
}

export const writeToken = (key: string): string => `sb1.${Buffer.from(key, 'utf8').toString('base64url')}`;

export function pageSize(input: Input): number {
  const max = optionalInteger(input, 'maxResults') ?? 100;
  if (max < 0 || max > 1000) throw validation(`1 validation error detected: Value '${max}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000`);
  return max === 0 ? 100 : max;
}
