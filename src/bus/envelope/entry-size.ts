import { Buffer } from 'node:buffer';
import type { PutEventsEntry } from './put-events-entry.ts';

/** `Time` counts as a fixed 14 bytes whatever its value (eb-putevent-size.md). */
const TIME_SIZE_BYTES = 14;

/**
 * The size AWS charges an entry against the PutEvents limit: 14 bytes if `Time` is set, plus
 * the UTF-8 bytes of `Source`, `DetailType`, `Detail` and each `Resources` element. The member
 * names, `EventBusName` and `TraceHeader` are not counted.
 */
export function putEventsEntrySize(entry: PutEventsEntry): number {
  let size = entry.Time === undefined ? 0 : TIME_SIZE_BYTES;
  size += utf8Length(entry.Source);
  size += utf8Length(entry.DetailType);
  size += utf8Length(entry.Detail);
  if (Array.isArray(entry.Resources)) {
    for (const resource of entry.Resources) size += utf8Length(resource);
  }
  return size;
}

function utf8Length(value: unknown): number {
  return typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0;
}
