/**
 * How a placeholder's value is written depends on where it sits in the template:
 * - `json`: outside any string in a JSON template: the value as JSON (strings get quotes);
 * - `quoted`: inside a string of a JSON template: the raw text, unescaped;
 * - `text`: inside a string template (`"..."`) or a plain-text template: raw text, objects and
 *   arrays with their quotes stripped (`{acc_id:0a78,sf_id:baz}`).
 */
export type PlaceholderContext = 'json' | 'quoted' | 'text';

export type TemplatePart =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'placeholder'; readonly name: string; readonly context: PlaceholderContext };

/** `json`: starts with `{` or `[`; `string`: starts with `"`; `text`: anything else. */
export type TemplateMode = 'json' | 'string' | 'text';

export interface ParsedTemplate {
  readonly mode: TemplateMode;
  readonly parts: readonly TemplatePart[];
}

// Placeholder names: InputPathsMap keys ([A-Za-z0-9_-]) plus the dots of the reserved
// `aws.events.*` names. `<` followed by anything else (`a < b`) stays literal text.
const PLACEHOLDER = /^<([A-Za-z0-9_.-]+)>/;
const JSON_WHITESPACE = new Set([' ', '\t', '\n', '\r']);

/**
 * Splits a template once, at compile time, into literal text and placeholders, each tagged with
 * its context. JSON and string templates are minified on the way (whitespace outside strings is
 * dropped): AWS passes "minified" JSON to targets (eb-transform-target-input.md), and doing it
 * here costs nothing per event.
 */
export function parseTemplate(template: string): ParsedTemplate {
  const first = template.trimStart()[0];
  const mode: TemplateMode = first === '{' || first === '[' ? 'json' : first === '"' ? 'string' : 'text';
  const parts: TemplatePart[] = [];
  let literal = '';
  let inString = false;
  let i = 0;
  while (i < template.length) {
    const ch = template[i] as string;
    if (ch === '<') {
      const m = PLACEHOLDER.exec(template.slice(i, i + 300));
      if (m !== null) {
        if (literal !== '') parts.push({ kind: 'literal', text: literal });
        literal = '';
        parts.push({ kind: 'placeholder', name: m[1] as string, context: contextOf(mode, inString) });
        i += m[0].length;
        continue;
      }
    }
    if (mode !== 'text') {
      if (inString && ch === '\\') {
        // Keep the escape and the escaped character together so `\"` does not end the string.
        literal += template.slice(i, i + 2);
        i += 2;
        continue;
      }
      if (ch === '"') inString = !inString;
      else if (!inString && JSON_WHITESPACE.has(ch)) {
        i += 1;
        continue;
      }
    }
    literal += ch;
    i += 1;
  }
  if (literal !== '') parts.push({ kind: 'literal', text: literal });
  return { mode, parts };
}

function contextOf(mode: TemplateMode, inString: boolean): PlaceholderContext {
  if (mode === 'text' || (mode === 'string' && inString)) return 'text';
  return inString ? 'quoted' : 'json';
}
