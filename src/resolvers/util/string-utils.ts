/** `util.str`. `toReplace` replaces every occurrence of a literal substring. */
const FORMS = new Set(['NFC', 'NFD', 'NFKC', 'NFKD']);

export const stringUtils = Object.freeze({
  toUpper: (s: unknown): string => String(s).toUpperCase(),
  toLower: (s: unknown): string => String(s).toLowerCase(),
  toReplace: (s: unknown, target: unknown, replacement: unknown): string => {
    const t = String(target);
    return t === '' ? String(s) : String(s).split(t).join(String(replacement));
  },
  normalize: (s: unknown, form?: unknown): string => {
    const f = form === undefined || form === null ? 'NFC' : String(form).toUpperCase();
    if (!FORMS.has(f)) throw new RangeError(`util.str.normalize: unknown form '${String(form)}' (nfc, nfd, nfkc, nfkd)`);
    return String(s).normalize(f);
  },
});
