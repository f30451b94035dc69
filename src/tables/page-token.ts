/**
 * `nextToken`: an opaque, base64 pagination token holding the last evaluated key, as AppSync hands
 * DynamoDB's `LastEvaluatedKey` to clients. Tokens are bound to the table and index they came from.
 */
import type { Item } from './attribute-value.ts';
import { normalizeItem } from './attribute-value.ts';
import { validation } from './errors.ts';

interface TokenBody {
  readonly v: 1;
  readonly t: string;
  readonly i: string | null;
  readonly k: Item;
}

export function encodePageToken(table: string, index: string | null, lastKey: Item): string {
  const body: TokenBody = { v: 1, t: table, i: index, k: lastKey };
  return Buffer.from(JSON.stringify(body)).toString('base64');
}

export function decodePageToken(token: string, table: string, index: string | null): Item {
  try {
    const body = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as TokenBody;
    if (body.v === 1 && body.t === table && body.i === index) return normalizeItem(body.k);
  } catch {
    // fall through to the error below
  }
  throw validation('Invalid pagination token');
}
