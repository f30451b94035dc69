/**
 * Java regular expressions run as JS `RegExp`. The common syntax is shared; this translates the
 * Java-only pieces resolvers use: leading inline flags (`(?i)`, `(?s)`, `(?m)`, `(?x)` is not
 * supported), `\A` / `\z` / `\Z` anchors and possessive quantifiers (made greedy).
 */
const cache = new Map<string, RegExp>();

export function javaRegExp(pattern: string, whole: boolean): RegExp {
  const key = `${whole ? 'w' : 'p'}${pattern}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  let body = pattern;
  let flags = '';
  const inline = /^\(\?([ims]+)\)/.exec(body);
  if (inline !== null) {
    flags = [...new Set(inline[1])].join('');
    body = body.slice(inline[0].length);
  }
  body = body
    .replace(/(^|[^\\])\\A/g, '$1^')
    .replace(/(^|[^\\])\\[zZ]/g, '$1$')
    .replace(/([*+?}])\+/g, '$1');
  let re: RegExp;
  try {
    re = new RegExp(whole ? `^(?:${body})$` : body, flags);
  } catch (cause) {
    throw new SyntaxError(`Invalid regular expression '${pattern}': ${(cause as Error).message}`);
  }
  if (cache.size > 512) cache.clear();
  cache.set(key, re);
  return re;
}
