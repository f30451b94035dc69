/**
 * Names for Standard executions started without one. AWS gives such an execution a random UUID;
 * so do we, in the UUID version 7 layout (RFC 9562): the first 48 bits are the start time in ms,
 * the other 74 are random. To a client it is a UUID like any other. To the store it is a key that
 * grows with time: an execution is found by its (machine, name), and a random name put each
 * new execution on a random page of that index, so a group commit of N starts rewrote N index
 * pages; time-ordered names land on the last page or two.
 */
import { randomUUID } from 'node:crypto';

/** A UUIDv7 for `now` (ms since the epoch): the time fields, then the random bits of a v4 UUID. */
export function timeOrderedUuid(now: number): string {
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  // randomUUID(): xxxxxxxx-xxxx-4xxx-Vxxx-xxxxxxxxxxxx; keep from the 3 random digits after the
  // version on (rand_a, then the variant and rand_b).
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
