/**
 * Parsed and validated documents, by query text. Validation costs more than execution for small
 * mutations (research/performance.md §4.2), and clients send the same few query texts again and
 * again, so each distinct text is parsed, depth-checked and validated once. LRU-bounded.
 */
import { GraphQLError, parse, validate, type DocumentNode, type GraphQLSchema } from 'graphql';
import { queryDepth } from './depth.ts';
import { argumentValueMessage } from './argument-errors.ts';
import { fieldPath, validationMessage } from './error-messages.ts';

export interface WireError {
  readonly path?: readonly (string | number)[] | null;
  readonly data?: unknown;
  readonly errorType?: string | undefined;
  readonly errorInfo?: unknown;
  readonly message: string;
  /** `null` where AppSync sends `null` (non-null violations). */
  readonly locations?: readonly { readonly line: number; readonly column: number; readonly sourceName: null }[] | null | undefined;
}

export type Prepared =
  | { readonly ok: true; readonly document: DocumentNode }
  | { readonly ok: false; readonly kind: 'syntax' | 'validation'; readonly errors: readonly WireError[] };

export interface DocumentCache {
  prepare(query: string): Prepared;
  readonly size: number;
}

const MAX_QUERY_BYTES = 1024 * 1024;

export function locationsOf(error: GraphQLError): WireError['locations'] {
  return error.locations?.map((l) => ({ line: l.line, column: l.column, sourceName: null }));
}

/** AppSync's wording for one validation error, `@ 'field/path'` taken from the first node inside a field. */
function describe(document: DocumentNode, problem: GraphQLError): string {
  const nodes = problem.nodes ?? [];
  let path: string | undefined;
  for (const node of nodes) if ((path = fieldPath(document, node)) !== undefined) break;
  return validationMessage(problem.message, path, argumentValueMessage(document, nodes[0], problem.message));
}

export function createDocumentCache(schema: GraphQLSchema, options: { readonly maxEntries?: number; readonly maxDepth: number }): DocumentCache {
  const max = options.maxEntries ?? 1000;
  const entries = new Map<string, Prepared>();

  function compute(query: string): Prepared {
    if (query.length > MAX_QUERY_BYTES) return { ok: false, kind: 'syntax', errors: [{ message: 'Query is too large.' }] };
    let document: DocumentNode;
    try {
      document = parse(query, { maxTokens: 50_000 });
    } catch (error) {
      const e = error as GraphQLError;
      const loc = e.locations?.[0];
      return {
        ok: false,
        kind: 'syntax',
        errors: [{ message: `Invalid Syntax : ${e.message.replace(/^Syntax Error: /, '')}${loc ? ` at line ${loc.line} column ${loc.column}` : ''}`, ...(loc ? { locations: locationsOf(e) } : {}) }],
      };
    }
    const depth = queryDepth(document, options.maxDepth);
    if (depth > options.maxDepth) {
      return { ok: false, kind: 'validation', errors: [{ message: `Validation error of type QueryDepthLimitExceeded: the query is nested more than ${options.maxDepth} levels deep`, path: null }] };
    }
    const problems = validate(schema, document, undefined, { maxErrors: 20 });
    if (problems.length > 0) {
      return {
        ok: false,
        kind: 'validation',
        errors: problems.map((p) => ({ path: null, locations: locationsOf(p) ?? [], message: describe(document, p) })),
      };
    }
    return { ok: true, document };
  }

  return {
    prepare(query) {
      const hit = entries.get(query);
      if (hit !== undefined) {
        // Refresh recency: Map keeps insertion order, so re-inserting moves it to the end.
        entries.delete(query);
        entries.set(query, hit);
        return hit;
      }
      const prepared = compute(query);
      entries.set(query, prepared);
      if (entries.size > max) entries.delete(entries.keys().next().value as string);
      return prepared;
    },
    get size() {
      return entries.size;
    },
  };
}
