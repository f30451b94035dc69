import type { JsonObject } from './json-value.ts';

/**
 * The event as every target receives it (research §1.1). Key order matters: targets that get
 * the whole event get `JSON.stringify(envelope)`, and AWS emits the keys in exactly this order,
 * so `toEnvelope` builds the object in this order and nothing may reorder it.
 */
export interface EventEnvelope {
  readonly version: string;
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** RFC 3339, UTC, second precision, `Z` (`2017-12-22T18:43:48Z`). */
  readonly time: string;
  readonly region: string;
  /** Only on events re-injected by a replay; AWS places it right after `region`. */
  readonly 'replay-name'?: string;
  readonly resources: readonly string[];
  readonly detail: JsonObject;
}
