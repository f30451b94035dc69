/**
 * An event's text as UTF-16 code units in a typed array, for the scanner. Reading a `Uint16Array`
 * in a loop is markedly cheaper in V8 than `charCodeAt` (which dispatches on the string's
 * representation at every call: about 1.8x on a citylots event), and the copy is one native call.
 * Positions are the string's own indices, so the scanner still slices values out of the string.
 *
 * The text is followed by SENTINEL_UNITS zeros: code unit 0 is never valid JSON outside a string
 * and never valid unescaped inside one, so every scanning loop stops at the end without a bounds
 * check, and no look-ahead of up to that many units reads a stale unit of an earlier event.
 *
 * Concurrency: one shared buffer, valid until the next `codeUnits` call; matching is synchronous.
 */
import { Buffer } from 'node:buffer';

export const SENTINEL_UNITS = 8;

let units = new Uint16Array(2048);
/** The same memory as bytes, for `Buffer`'s native UTF-16 copy. */
let bytes = Buffer.from(units.buffer);

/** Whether `Buffer`'s UTF-16LE bytes read as code units through a Uint16Array (little-endian host). */
const littleEndian = new Uint16Array(new Uint8Array([1, 0]).buffer)[0] === 1;

/** The code units of `text` followed by SENTINEL_UNITS zeros (the array may be longer). */
export function codeUnits(text: string): Uint16Array {
  const length = text.length;
  if (length + SENTINEL_UNITS > units.length) {
    units = new Uint16Array(length + SENTINEL_UNITS + 2048);
    bytes = Buffer.from(units.buffer);
  }
  if (littleEndian) bytes.write(text, 0, 'utf16le');
  else for (let i = 0; i < length; i++) units[i] = text.charCodeAt(i);
  // (eight stores: cheaper than a call to `fill`)
  for (let i = length; i < length + SENTINEL_UNITS; i++) units[i] = 0;
  return units;
}
