/**
 * Reference paths: the subset of JSONPath that names exactly one location (`$`, `.name`,
 * `['name']`, `[n]`), used by `ResultPath` to write a result into a copy of the state input.
 */
import { StatesError, STATES_ERRORS } from '../errors.ts';
import { isObject, type Json, type JsonObject } from '../json.ts';
import { parseJsonPath, type JsonPath } from './parse.ts';

/** Whether the path is a reference path (only single names and indexes, rooted at `$`). */
export function isReferencePath(path: JsonPath): boolean {
  return path.root.kind === 'input' && path.segments.every((s) => (s.kind === 'name' && s.names.length === 1) || (s.kind === 'index' && s.indexes.length === 1));
}

/**
 * Returns a copy of `target` with `value` stored at `path`, creating missing objects on the way.
 * A location that cannot exist (a name inside a string, an index past an array's end) is
 * `States.ResultPathMatchFailure`, which Catch can handle.
 */
export function setAtReferencePath(target: Json, path: JsonPath | string, value: Json): Json {
  const parsed = typeof path === 'string' ? parseJsonPath(path) : path;
  if (parsed.segments.length === 0) return value;
  const root: Json = structuredClone(target);
  let node: Json = root;
  const fail = (): never => {
    throw new StatesError(
      STATES_ERRORS.ResultPathMatchFailure,
      `Unable to apply ResultPath '${parsed.text}' to input '${JSON.stringify(target)}'`,
      true,
    );
  };
  parsed.segments.forEach((segment, i) => {
    const last = i === parsed.segments.length - 1;
    if (segment.kind === 'name') {
      const name = segment.names[0] as string;
      if (!isObject(node)) return fail();
      const obj: JsonObject = node;
      if (last) {
        obj[name] = value;
        return;
      }
      const child = obj[name];
      if (child === undefined || child === null) obj[name] = {};
      node = obj[name] as Json;
    } else if (segment.kind === 'index') {
      const index = segment.indexes[0] as number;
      if (!Array.isArray(node)) return fail();
      const at = index < 0 ? node.length + index : index;
      if (at < 0 || at >= node.length) return fail();
      if (last) {
        node[at] = value;
        return;
      }
      node = node[at] as Json;
    } else {
      fail();
    }
  });
  return root;
}
