/**
 * `Limit` and `NextToken` of the List* operations. The token is opaque to clients; inside it is
 * the last name returned, so a page continues "after" it even if items were added or removed
 * in between (AWS tokens are also opaque and short-lived; ours do not expire).
 */
import { constraintError, validationError } from '../rules/index.ts';
import { optionalInteger, optionalString, type Input } from './members.ts';

const TOKEN_PREFIX = 'sb1.';
const MAX_LIMIT = 100;

export interface Page {
  /** Exclusive start: the last name of the previous page, '' for the first page. */
  readonly after: string;
  readonly limit: number;
}

export function readPage(input: Input): Page {
  const limit = optionalInteger(input, 'Limit') ?? MAX_LIMIT;
  if (limit < 1) throw constraintError('limit', limit, 'Member must have value greater than or equal to 1');
  if (limit > MAX_LIMIT) throw constraintError('limit', limit, `Member must have value less than or equal to ${MAX_LIMIT}`);
  const token = optionalString(input, 'NextToken');
  if (token === undefined) return { after: '', limit };
  if (!token.startsWith(TOKEN_PREFIX)) throw validationError('The nextToken provided is invalid.');
  return { after: Buffer.from(token.slice(TOKEN_PREFIX.length), 'base64url').toString('utf8'), limit };
}

/**
 * Given one more item than the limit was fetched, returns the page and the token of the next
 * (undefined on the last page), so no extra query is needed to know whether more exist.
 */
export function pageOf<T>(items: readonly T[], page: Page, nameOf: (item: T) => string): { readonly items: readonly T[]; readonly nextToken?: string } {
  if (items.length <= page.limit) return { items };
  const shown = items.slice(0, page.limit);
  const last = shown[shown.length - 1];
  if (last === undefined) return { items: shown };
  return { items: shown, nextToken: TOKEN_PREFIX + Buffer.from(nameOf(last), 'utf8').toString('base64url') };
}
