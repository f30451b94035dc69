/**
 * The leaves of an event: strings, numbers, booleans and null. Objects are never leaves and arrays
 * are transparent, so a field path never contains an index.
 */
import { JsonNumber } from './number-text.ts';

export type Leaf = string | number | JsonNumber | boolean | null;

export function isLeaf(value: unknown): value is Leaf {
  return (
    value === null ||
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value instanceof JsonNumber
  );
}

/** A container that flattening descends into (plain objects; arrays are handled separately). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
