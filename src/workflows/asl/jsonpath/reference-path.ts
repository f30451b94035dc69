/**
 * Reference paths: the subset of JSONPath that names exactly one location (`$`, `.name`,
 * `['name']`, `[n]`), used by `ResultPath` to write a result into a copy of the state input.
 */
import { StatesError, STATES_ERRORS } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { parseJsonPath, type JsonPath } from './parse.ts';
import { copyOf } from '../../../core/index.ts';

/** Whether the path is a reference path (only single names and indexes, rooted at `$`). */
export function isReferencePath(path: JsonPath): boolean {
  return path.root.kind === 'input' && path.segments.every((s) => (s.kind === 'name' && s.names.length === 1) || (s.kind === 'index' && s.indexes.length === 1));
}

/**
 * Returns `target` with `value` stored at `path`, creating missing objects on the way. `target` is
 * left as it was: the objects and arrays along the path are copied, the rest is shared with it
 * (the interpreter never writes into a JSON value, see `state-copy.ts`). A location that cannot
 * exist (a name inside a string, an index past an array's end) is `States.ResultPathMatchFailure`,
 * which Catch can handle.
 */
export function setAtReferencePath(target: Json, path: JsonPath | string, value: Json): Json {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  const segments = parsed.segments;
  if (segments.length === 0) return value;
  const root = shallowCopy(target);
  let node: Json = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as (typeof segments)[number];
    const last = i === segments.length - 1;
    if (segment.kind === 'name') {
      const name = segment.names[0] as string;
      if (!isObject(node)) return matchFailure(parsed, target);
      const obj: JsonObject = node;
      if (last) {
        obj[name] = value;
        break;
      }
      const child = obj[name];
      obj[name] = child === undefined || child === null ? {} : shallowCopy(child);
      node = obj[name] as Json;
    } else if (segment.kind === 'index') {
      const index = segment.indexes[0] as number;
      if (!Array.isArray(node)) return matchFailure(parsed, target);
      const at = index < 0 ? node.length + index : index;
      if (at < 0 || at >= node.length) return matchFailure(parsed, target);
      if (last) {
        node[at] = value;
        break;
      }
      node = node[at] = shallowCopy(node[at] as Json);
    } else {
      matchFailure(parsed, target);
    }
  }
  return root;
}

function matchFailure(path: JsonPath, target: Json): never {
  throw new StatesError(STATES_ERRORS.ResultPathMatchFailure, `Unable to apply ResultPath '${path.text}' to input '${JSON.stringify(target)}'`, true);
}

/** A new array or object with the same items; other values as they are (they are immutable). */
function shallowCopy(value: Json): Json {
  if (Array.isArray(value)) return value.slice();
  // The path's next segment may add a key to it: a spread copy would be slow to collect (core/objects.ts).
  if (isObject(value)) return copyOf(value);
  return value;
}
