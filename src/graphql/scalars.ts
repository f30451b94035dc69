/**
 * AppSync's built-in scalars with their validation rules (research/appsync.md §9). Each parses
 * variables and literals, refusing malformed values with a message that names the scalar; output
 * values pass through except AWSJSON (maps/lists serialize to JSON text) and AWSTimestamp (number).
 */
import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';
import { isIP } from 'node:net';

const OFFSET = '(?:Z|[+-]\\d{2}:\\d{2}(?::\\d{2})?)';
const DATE = '\\d{4}-\\d{2}-\\d{2}';
const TIME = '\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d{1,9})?)?';
const DATE_RE = new RegExp(`^${DATE}${OFFSET}?$`);
const TIME_RE = new RegExp(`^${TIME}${OFFSET}?$`);
const DATETIME_RE = new RegExp(`^${DATE}T${TIME}${OFFSET}$`);
const EMAIL_RE = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const PHONE_RE = /^\+?[\d\s()-]{7,20}$/;

function validDateParts(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
  if (m === null) return true;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = new Date(Date.UTC(y, mo, 0)).getUTCDate();
  return d <= days;
}

function validTimeParts(text: string): boolean {
  const m = /(?:^|T)(\d{2}):(\d{2})(?::(\d{2}))?/.exec(text);
  if (m === null) return true;
  return Number(m[1]) < 24 && Number(m[2]) < 60 && (m[3] === undefined || Number(m[3]) < 60);
}

function stringScalar(name: string, description: string, check: (value: string) => boolean): GraphQLScalarType {
  const parse = (value: unknown): string => {
    if (typeof value !== 'string' || !check(value)) throw new GraphQLError(`Invalid ${name} value: ${JSON.stringify(value)}`);
    return value;
  };
  return new GraphQLScalarType({
    name,
    description,
    serialize: (value) => (typeof value === 'string' ? value : String(value)),
    parseValue: parse,
    parseLiteral(ast: ValueNode) {
      // `nodes` matters: graphql-js reports a thrown GraphQLError as is, and without the node the
      // error would carry no location and no `@ 'field'` path.
      if (ast.kind !== Kind.STRING || !check(ast.value)) throw new GraphQLError(`Invalid ${name} literal: ${print(ast)}`, { nodes: ast });
      return ast.value;
    },
  });
}

export const AWSDate = stringScalar('AWSDate', 'An extended ISO 8601 date string in the format YYYY-MM-DD, with an optional offset.', (v) => DATE_RE.test(v) && validDateParts(v));
export const AWSTime = stringScalar('AWSTime', 'An extended ISO 8601 time string in the format hh:mm:ss.sss, with an optional offset.', (v) => TIME_RE.test(v) && validTimeParts(v));
export const AWSDateTime = stringScalar('AWSDateTime', 'An extended ISO 8601 date and time string in the format YYYY-MM-DDThh:mm:ss.sssZ (the offset is required).', (v) => DATETIME_RE.test(v) && validDateParts(v) && validTimeParts(v));
export const AWSEmail = stringScalar('AWSEmail', 'An email address in the format local-part@domain-part as defined by RFC 822.', (v) => EMAIL_RE.test(v));
export const AWSPhone = stringScalar('AWSPhone', 'A phone number; spaces and hyphens allowed; the country code is optional.', (v) => PHONE_RE.test(v) && (v.match(/\d/g)?.length ?? 0) >= 7);
export const AWSIPAddress = stringScalar('AWSIPAddress', 'A valid IPv4 or IPv6 address, optionally with a CIDR suffix.', (v) => {
  const [ip, prefix, extra] = v.split('/');
  if (extra !== undefined || ip === undefined) return false;
  const family = isIP(ip);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
});
export const AWSURL = stringScalar('AWSURL', 'A URL as defined by RFC 1738 (a scheme is required).', (v) => {
  try {
    const url = new URL(v);
    return url.protocol.length > 1 && !/\/\//.test(url.pathname);
  } catch {
    return false;
  }
});

export const AWSTimestamp = new GraphQLScalarType({
  name: 'AWSTimestamp',
  description: 'The number of seconds that have elapsed since 1970-01-01T00:00Z (negative values allowed).',
  serialize(value) {
    const n = typeof value === 'string' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n)) throw new GraphQLError(`AWSTimestamp cannot represent value: ${JSON.stringify(value)}`);
    return n;
  },
  parseValue(value) {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new GraphQLError(`Invalid AWSTimestamp value: ${JSON.stringify(value)}`);
    return value;
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError(`Invalid AWSTimestamp literal: ${print(ast)}`, { nodes: ast });
    return Number(ast.value);
  },
});

export const AWSJSON = new GraphQLScalarType({
  name: 'AWSJSON',
  description: 'A JSON string (RFC 8259). Input is parsed and given to resolvers as a value; output maps and lists are serialized to JSON text.',
  serialize(value) {
    // A resolver returning an already-serialized string must not be encoded twice.
    return typeof value === 'string' ? value : JSON.stringify(value);
  },
  parseValue(value) {
    if (typeof value !== 'string') throw new GraphQLError(`Invalid AWSJSON value: expected a JSON string, got ${JSON.stringify(value)}`);
    try {
      return JSON.parse(value) as unknown;
    } catch {
      throw new GraphQLError(`Invalid AWSJSON value: ${JSON.stringify(value)} is not valid JSON`);
    }
  },
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw new GraphQLError(`Invalid AWSJSON literal: ${print(ast)}`, { nodes: ast });
    try {
      return JSON.parse(ast.value) as unknown;
    } catch {
      throw new GraphQLError(`Invalid AWSJSON literal: ${print(ast)} is not valid JSON`, { nodes: ast });
    }
  },
});

export const AWS_SCALARS: readonly GraphQLScalarType[] = [AWSDate, AWSTime, AWSDateTime, AWSTimestamp, AWSEmail, AWSJSON, AWSURL, AWSPhone, AWSIPAddress];
