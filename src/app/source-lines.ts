/**
 * Finds the line of a config path (`resolvers['Mutation.createOrder'].pipeline[1]`) in the
 * config file's text, so messages can say `switchboard.config.ts:31`. It follows the keys in
 * order through the text; good enough for object literals written by hand, and it falls back to
 * the deepest key it found.
 */
export function lineOfPath(text: string, path: string): number {
  const keys = [...path.matchAll(/([A-Za-z_$][\w$]*)|\['([^']*)'\]/g)].map((m) => m[1] ?? m[2] ?? '');
  let pos = 0;
  let found = -1;
  for (const k of keys) {
    const escaped = k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = new RegExp(`(?:^|[\\s{,])(?:${escaped}|'${escaped}'|"${escaped}")\\s*:`, 'g');
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) break;
    found = m.index + m[0].indexOf(k.charAt(0) === '' ? ':' : k.charAt(0));
    pos = re.lastIndex;
  }
  if (found < 0) return 1;
  return text.slice(0, found).split('\n').length;
}
