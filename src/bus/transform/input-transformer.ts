import type { EventEnvelope, JsonValue } from '../envelope/index.ts';
import { compileJsonPath, type PathResult } from './json-path.ts';
import { PREDEFINED_VARIABLES, type TransformContext } from './predefined-variables.ts';
import { mayBreakJsonString, renderValue, UNDELIVERABLE } from './render-value.ts';
import type { TargetBody } from './target-body.ts';
import { parseTemplate, type ParsedTemplate, type PlaceholderContext } from './template-parts.ts';
import {
  constraintError,
  maxLength,
  minLength,
  targetLabel,
  TargetInputError,
  type TargetLocation,
} from './target-input-error.ts';

export interface InputTransformerConfig {
  /** Placeholder name -> JSONPath into the event. Optional, as in the API. */
  readonly inputPathsMap?: Readonly<Record<string, string>>;
  readonly inputTemplate: string;
}

// PutTargets model constraints (botocore `TransformerPaths`, `InputTransformerPathKey`,
// `TargetInputPath`, `TransformerInput`).
const MAX_PATHS = 100;
const MAX_KEY_LENGTH = 256;
const KEY_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_PATH_LENGTH = 256;
const MAX_TEMPLATE_LENGTH = 8192;

type Reader = (event: EventEnvelope, ctx: TransformContext) => PathResult;
type CompiledPart = string | { readonly slot: number; readonly context: PlaceholderContext };

/**
 * Compiles an InputTransformer, rejecting what PutTargets rejects (with AWS's message where it
 * is known), and returns the function that renders a target body per event. All template
 * scanning and path parsing happens here; applying is one read per distinct placeholder and a
 * string concatenation.
 */
export function compileInputTransformer(config: InputTransformerConfig, where: TargetLocation = {}): TargetBody {
  const { inputTemplate } = config;
  const pathsMap = config.inputPathsMap ?? {};
  if (inputTemplate.length < 1) throw constraintError(where, 'inputTransformer.inputTemplate', minLength(1));
  if (inputTemplate.length > MAX_TEMPLATE_LENGTH) {
    throw constraintError(where, 'inputTransformer.inputTemplate', maxLength(MAX_TEMPLATE_LENGTH));
  }
  const pathReaders = compilePathsMap(pathsMap, where);
  const template = parseTemplate(inputTemplate);

  const slots = new Map<string, number>();
  const readers: Reader[] = [];
  const parts: CompiledPart[] = [];
  for (const part of template.parts) {
    if (part.kind === 'literal') {
      parts.push(part.text);
      continue;
    }
    let slot = slots.get(part.name);
    if (slot === undefined) {
      const reader = pathReaders.get(part.name) ?? predefinedReader(part.name);
      if (reader === undefined) {
        throw new TargetInputError(
          `InputTemplate for target ${targetLabel(where)} contains invalid placeholder ${part.name}.`,
        );
      }
      slot = readers.push(reader) - 1;
      slots.set(part.name, slot);
    }
    parts.push({ slot, context: part.context });
  }
  if (template.mode !== 'text') checkTemplateShape(template, where);

  // JSON templates must still be JSON after substitution; string and plain-text templates are
  // passed on as they come out (AWS does not escape substituted values).
  const mustStayJson = template.mode === 'json';
  return (event, ctx) => {
    const values: PathResult[] = new Array<PathResult>(readers.length);
    for (let i = 0; i < readers.length; i += 1) values[i] = (readers[i] as Reader)(event, ctx);
    let body = '';
    let recheck = false;
    for (const part of parts) {
      if (typeof part === 'string') {
        body += part;
        continue;
      }
      const text = renderValue(values[part.slot] as PathResult, part.context);
      if (text === UNDELIVERABLE) return undefined;
      if (mustStayJson && part.context === 'quoted' && mayBreakJsonString(text)) recheck = true;
      body += text;
    }
    if (recheck && !isJson(body)) return undefined;
    return body;
  };
}

function compilePathsMap(pathsMap: Readonly<Record<string, string>>, where: TargetLocation): Map<string, Reader> {
  const member = 'inputTransformer.inputPathsMap';
  const entries = Object.entries(pathsMap);
  if (entries.length > MAX_PATHS) throw constraintError(where, member, maxLength(MAX_PATHS));
  const readers = new Map<string, Reader>();
  for (const [key, path] of entries) {
    if (key.length < 1 || key.length > MAX_KEY_LENGTH || !KEY_PATTERN.test(key)) {
      throw constraintError(
        where,
        member,
        `Map keys must satisfy constraint: [${maxLength(MAX_KEY_LENGTH)}, ${minLength(1)}, Member must satisfy regular expression pattern: [A-Za-z0-9\\_\\-]+]`,
      );
    }
    if (typeof path !== 'string' || path.length > MAX_PATH_LENGTH) {
      throw constraintError(where, member, `Map value must satisfy constraint: [${maxLength(MAX_PATH_LENGTH)}]`);
    }
    const read = compileJsonPath(path);
    if (read === undefined) {
      // AWS's text for an unsupported path was not recorded; this message is ours.
      throw new TargetInputError(`InputPathsMap for target ${targetLabel(where)} contains invalid JSON path ${path}.`);
    }
    readers.set(key, (event) => read(event as unknown as JsonValue));
  }
  return readers;
}

function predefinedReader(name: string): Reader | undefined {
  return PREDEFINED_VARIABLES.get(name);
}

// Stands in for placeholders inside strings while checking the template's shape. A template
// whose literal keys contain this exact text would be misreported; that is accepted.
const QUOTED_STAND_IN = '@@switchboard-placeholder@@';

/**
 * A JSON or string template must be JSON once placeholders are filled, and a placeholder may
 * not be an object key (API reference, `InputTemplate`). Checked with stand-ins: `null` for
 * JSON-value placeholders, a marker inside strings, then one `JSON.parse` whose reviver looks
 * for the marker in keys. AWS's messages for these two failures were not recorded.
 */
function checkTemplateShape(template: ParsedTemplate, where: TargetLocation): void {
  let text = '';
  let asKey: string | undefined;
  template.parts.forEach((part, i) => {
    if (part.kind === 'literal') {
      text += part.text;
      return;
    }
    if (part.context === 'json') {
      const next = template.parts[i + 1];
      if (next?.kind === 'literal' && next.text.startsWith(':')) asKey ??= part.name;
      text += 'null';
    } else {
      text += QUOTED_STAND_IN;
    }
  });
  try {
    JSON.parse(text, (key, value: unknown) => {
      if (key.includes(QUOTED_STAND_IN)) asKey ??= '';
      return value;
    });
  } catch {
    if (asKey === undefined) {
      throw new TargetInputError(`InputTemplate for target ${targetLabel(where)} is not valid JSON.`);
    }
  }
  if (asKey !== undefined) {
    throw new TargetInputError(
      `InputTemplate for target ${targetLabel(where)} uses a placeholder as an object key, which is not allowed.`,
    );
  }
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
