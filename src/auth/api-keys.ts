/**
 * API_KEY mode: a set of active keys, each with an optional expiry. Checked on every request, so
 * the check is one Map lookup and a number comparison, with no allocation on success.
 */

export interface ApiKeyEntry {
  readonly key: string;
  /** ms since epoch after which the key is refused; absent: never expires. */
  readonly expires?: number;
}

export type ApiKeyCheck = 'valid' | 'unknown' | 'expired';

export interface ApiKeySet {
  check(key: string, now: number): ApiKeyCheck;
  readonly size: number;
}

export function createApiKeySet(keys: readonly ApiKeyEntry[]): ApiKeySet {
  const expiries = new Map<string, number>();
  for (const k of keys) expiries.set(k.key, k.expires ?? Number.POSITIVE_INFINITY);
  return {
    size: expiries.size,
    check(key, now) {
      const expires = expiries.get(key);
      if (expires === undefined) return 'unknown';
      // AppSync keys expire at their `expires` instant; using `>=` makes that instant itself refused.
      return now >= expires ? 'expired' : 'valid';
    },
  };
}
