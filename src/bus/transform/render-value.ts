import type { JsonValue } from '../envelope/index.ts';
import { MISSING, type PathResult } from './json-path.ts';
import type { PlaceholderContext } from './template-parts.ts';

/** Returned instead of text when AWS would deliver nothing (an object inside a JSON string). */
export const UNDELIVERABLE: unique symbol = Symbol('undeliverable');

/**
 * Writes one placeholder value in its context, following the recordings in
 * input-transformer-cases.json (see template-parts.ts for the three contexts).
 */
export function renderValue(value: PathResult, context: PlaceholderContext): string | typeof UNDELIVERABLE {
  // A path the event does not have renders as nothing, even as a JSON value, where AWS
  // writes `""` (recorded) rather than `null`.
  if (value === MISSING) return context === 'json' ? '""' : '';
  if (context === 'json') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  // An object or array spliced into a JSON string makes invalid JSON; AWS drops the event.
  if (context === 'quoted') return UNDELIVERABLE;
  return stripQuotes(value);
}

/** `{"acc_id":"x"}` -> `{acc_id:x}`, `["A","B"]` -> `[A,B]`: what AWS writes inside a string template. */
function stripQuotes(value: JsonValue): string {
  return JSON.stringify(value).replaceAll('"', '');
}

/**
 * Whether raw text inserted into a JSON string can break it. Only then is the finished body
 * parsed to decide whether it is deliverable, so the common case stays a string concat.
 */
export function mayBreakJsonString(text: string): boolean {
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c < 0x20) return true;
  }
  return false;
}
