/**
 * The type tests, defaults and encoders at the top level of `util`. Values come from the resolver
 * sandbox (another realm), so types are told apart with `typeof` / `Array.isArray` only.
 */
import { isPlainObject } from './attribute-value.ts';
import { javaRegExp } from './java-regex.ts';

const isNull = (v: unknown): boolean => v === null || v === undefined;
const isNullOrEmpty = (v: unknown): boolean => isNull(v) || v === '';
/** Java's `isBlank`: empty or whitespace only. */
const isNullOrBlank = (v: unknown): boolean => isNull(v) || (typeof v === 'string' && v.trim() === '');

function typeOf(v: unknown): string {
  if (v === null || v === undefined) return 'Null';
  if (typeof v === 'number' || typeof v === 'bigint') return 'Number';
  if (typeof v === 'string') return 'String';
  if (typeof v === 'boolean') return 'Boolean';
  if (Array.isArray(v)) return 'List';
  if (isPlainObject(v)) return 'Map';
  return 'Object';
}

/** Java `String.matches`: the whole input must match. */
function matches(pattern: unknown, value: unknown): boolean {
  return javaRegExp(String(pattern), true).test(String(value));
}

/** commons-lang `escapeEcmaScript`: quotes, backslash, slash, control and non-ASCII characters. */
function escapeJavaScript(value: unknown): string {
  const s = String(value);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charAt(i);
    const code = s.charCodeAt(i);
    switch (c) {
      case "'":
      case '"':
      case '\\':
      case '/':
        out += `\\${c}`;
        break;
      case '\b':
        out += '\\b';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\t':
        out += '\\t';
        break;
      case '\f':
        out += '\\f';
        break;
      case '\r':
        out += '\\r';
        break;
      default:
        out += code < 32 || code > 0x7f ? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}` : c;
    }
  }
  return out;
}

/** Java `URLEncoder.encode(s, "UTF-8")`: form encoding, space as `+`, only `A-Za-z0-9.-*_` kept. */
function urlEncode(value: unknown): string {
  return encodeURIComponent(String(value))
    .replace(/[!'()~]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function urlDecode(value: unknown): string {
  return decodeURIComponent(String(value).replace(/\+/g, ' '));
}

const base64Encode = (value: unknown): string => Buffer.from(String(value), 'utf8').toString('base64');
const base64Decode = (value: unknown): string => Buffer.from(String(value), 'base64').toString('utf8');

export const valueUtils = Object.freeze({
  isNull,
  isNullOrEmpty,
  isNullOrBlank,
  defaultIfNull: (v: unknown, d: unknown): unknown => (isNull(v) ? d : v),
  defaultIfNullOrEmpty: (v: unknown, d: unknown): unknown => (isNullOrEmpty(v) ? d : v),
  defaultIfNullOrBlank: (v: unknown, d: unknown): unknown => (isNullOrBlank(v) ? d : v),
  isString: (v: unknown): boolean => typeof v === 'string',
  isNumber: (v: unknown): boolean => typeof v === 'number',
  isBoolean: (v: unknown): boolean => typeof v === 'boolean',
  isList: (v: unknown): boolean => Array.isArray(v),
  isMap: (v: unknown): boolean => isPlainObject(v),
  typeOf,
  matches,
  escapeJavaScript,
  urlEncode,
  urlDecode,
  base64Encode,
  base64Decode,
});
