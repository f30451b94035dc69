/**
 * How the durable engine stores one step's history events: one compact text per step. Written as
 * JSON, event by event, the history was some 1,600 bytes per execution of a 3-state machine, and
 * the writing of those bytes (stringify, the copy to the writer thread, the row insert) was most
 * of the cost of a Standard step. Most of it was framing: the key names, the type names, a
 * `previousEventId` and a timestamp on every event, and the same payload or resource ARN repeated
 * by consecutive events (a state's output is the next state's input).
 *
 * The text is a JSON array: the first event's timestamp, then one array per event,
 * `[type, details, dt, previousEventId, id]`:
 * - `type`: the index of the type in TYPES (append-only: stored texts use these numbers), or the
 *   type's name when it is not in the list.
 * - `details`: the details object, or 0 when there is none. A top-level detail value that is an
 *   object, or a string of REPEAT_MIN characters or more, and that an earlier event of the same
 *   step holds already (the same object, or an equal string) is written as `"~<key>": n`, n being
 *   its index among such values in the order they first appear. A key that starts with `~` is
 *   written with one more `~` in front (`~~...` reads as a plain key) and never as a reference.
 * - `dt`: the event's timestamp minus the first event's, left out when 0 and nothing follows.
 * - `previousEventId`: left out when it is the event's id - 1.
 * - `id`: left out when it is the id of the event before plus one (the first's: the block's first
 *   id). A step's ids are consecutive; the field keeps any other sequence exact.
 * The text of a step is decoded alone
 * (no reference reaches another step), so a history page reads only the rows it shows.
 *
 * Texts written before this (schema <= 4 of the SQLite store: the events' JSON joined by
 * newlines, or one event's alone; PostgreSQL: one event's JSON per row) start with `{` and are
 * read as they were.
 */
import type { StoredHistoryBlock } from '../../storage/index.ts';
import type { HistoryEvent, Json, JsonObject } from '../asl/index.ts';

/** History event types by stored number. Append only. */
const TYPES: readonly string[] = [
  'ExecutionStarted', 'ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut', 'ExecutionRedriven',
  'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskFailed', 'TaskTimedOut',
  'PassStateEntered', 'PassStateExited', 'TaskStateEntered', 'TaskStateExited', 'ChoiceStateEntered', 'ChoiceStateExited',
  'WaitStateEntered', 'WaitStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'FailStateEntered', 'FailStateExited',
  'ParallelStateEntered', 'ParallelStateExited', 'ParallelStateStarted', 'ParallelStateSucceeded', 'ParallelStateFailed',
  'MapStateEntered', 'MapStateExited', 'MapStateStarted', 'MapStateSucceeded', 'MapStateFailed',
  'MapIterationStarted', 'MapIterationSucceeded', 'MapIterationFailed', 'MapIterationAborted',
  'TaskStateFailed', 'PassStateFailed', 'ChoiceStateFailed', 'WaitStateFailed', 'SucceedStateFailed', 'FailStateFailed',
  'MapStateAborted', 'ParallelStateAborted', 'EvaluationFailed',
];
const CODES = new Map(TYPES.map((type, code) => [type, code]));

/** The stored number of each event type (tests). */
export const encodedTypeCodes = (): ReadonlyMap<string, number> => CODES;

/** Shortest string worth a reference (an ARN is longer; a state name usually shorter). */
const REPEAT_MIN = 24;
const REF = '~';

const repeatable = (v: unknown): boolean => (typeof v === 'object' && v !== null) || (typeof v === 'string' && v.length >= REPEAT_MIN);

/** Detail keys (a few dozen AWS member names) → their JSON text with the colon, plain and as a reference. */
const KEY_TEXTS = new Map<string, readonly [plain: string, ref: string]>();
const KEY_TEXTS_MAX = 1024;

function keyTexts(key: string): readonly [string, string] {
  let texts = KEY_TEXTS.get(key);
  if (texts === undefined) {
    // A key of its own that starts with ~ is written with one more: `~~` reads as a plain key.
    texts = [`${JSON.stringify(key.charCodeAt(0) === 0x7e ? REF + key : key)}:`, `${JSON.stringify(REF + key)}:`];
    if (KEY_TEXTS.size < KEY_TEXTS_MAX) KEY_TEXTS.set(key, texts);
  }
  return texts;
}

/** Short strings (state names, error names) → their JSON text: the same few, step after step. */
const SHORT_TEXTS = new Map<string, string>();
const SHORT_TEXTS_MAX = 4096;

function shortStringText(value: string): string {
  let text = SHORT_TEXTS.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    if (SHORT_TEXTS.size >= SHORT_TEXTS_MAX) SHORT_TEXTS.clear();
    SHORT_TEXTS.set(value, text);
  }
  return text;
}

/**
 * The details object written into `out` as JSON.stringify writes it (members whose value it leaves
 * out are left out), repeated values as references.
 */
function writeDetails(details: JsonObject, seen: unknown[]): string {
  let out = '{';
  for (const key in details) {
    const value: unknown = details[key];
    let text: string | undefined;
    if (repeatable(value)) {
      // Never a reference under a key that starts with ~ (see keyTexts); the value still counts.
      const at = key.charCodeAt(0) === 0x7e ? -1 : seen.indexOf(value);
      if (at >= 0) {
        out += `${out.length === 1 ? '' : ','}${keyTexts(key)[1]}${at}`;
        continue;
      }
      seen.push(value);
    }
    text = typeof value === 'string' && value.length < REPEAT_MIN ? shortStringText(value) : (JSON.stringify(value) as string | undefined);
    if (text === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${keyTexts(key)[0]}${text}`;
  }
  return `${out}}`;
}

function decodeDetails(stored: JsonObject, seen: Json[]): JsonObject {
  const out: Record<string, Json> = {};
  for (const key in stored) {
    const value = stored[key] as Json;
    const tilde = key.charCodeAt(0) === 0x7e; /* ~ */
    if (tilde && key.charCodeAt(1) !== 0x7e) out[key.slice(1)] = seen[value as number] as Json;
    else {
      if (repeatable(value)) seen.push(value);
      out[tilde ? key.slice(1) : key] = value;
    }
  }
  return out;
}

/**
 * The stored text of one step's events (ids consecutive from the first's). Written as a string, not
 * built as arrays and objects and then stringified: the same text (test/workflows/history-codec.test.ts
 * holds the structural form as the reference) at about half the cost, which was a tenth of a
 * Standard step's time on the event loop.
 */
export function encodeHistory(events: readonly HistoryEvent[]): string {
  const t0 = events[0]?.timestamp ?? 0;
  const seen: unknown[] = [];
  let out = `[${JSON.stringify(t0)}`;
  let id = events[0]?.id ?? 0;
  for (const e of events) {
    const code = CODES.get(e.type);
    out += code === undefined ? `,[${JSON.stringify(e.type)}` : `,[${code}`;
    const dt = e.timestamp - t0;
    const prev = e.previousEventId === e.id - 1 ? undefined : e.previousEventId;
    const ownId = e.id === id ? undefined : e.id;
    if (e.details !== undefined) out += `,${writeDetails(e.details, seen)}`;
    else if (dt !== 0 || prev !== undefined || ownId !== undefined) out += ',0';
    if (ownId !== undefined) out += `,${JSON.stringify(dt)},${JSON.stringify(e.previousEventId)},${ownId}`;
    else if (prev !== undefined) out += `,${JSON.stringify(dt)},${prev}`;
    else if (dt !== 0) out += `,${JSON.stringify(dt)}`;
    out += ']';
    id = e.id + 1;
  }
  return `${out}]`;
}

/** The events of a stored block. */
export function decodeHistory({ firstId, lastId, text }: StoredHistoryBlock): HistoryEvent[] {
  if (text.charCodeAt(0) !== 0x5b /* [ */) {
    // Written before the encoding: one event's JSON, or several joined by newlines.
    return (firstId === lastId ? [text] : text.split('\n')).map((line) => JSON.parse(line) as HistoryEvent);
  }
  const stored = JSON.parse(text) as [number, ...Json[][]];
  const t0 = stored[0];
  const seen: Json[] = [];
  const events: HistoryEvent[] = [];
  let next = firstId;
  for (let i = 1; i < stored.length; i++) {
    const [code, details, dt, prev, ownId] = stored[i] as [number | string, JsonObject | 0 | undefined, number | undefined, number | undefined, number | undefined];
    const id = ownId ?? next;
    next = id + 1;
    const type = typeof code === 'number' ? (TYPES[code] ?? `Unknown${code}`) : code;
    const previousEventId = prev ?? id - 1;
    const timestamp = t0 + (dt ?? 0);
    events.push(details === undefined || details === 0 ? { id, previousEventId, timestamp, type } : { id, previousEventId, timestamp, type, details: decodeDetails(details, seen) });
  }
  return events;
}
