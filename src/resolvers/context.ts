/**
 * Builds the APPSYNC_JS `ctx` for one field. The object and its top-level members are frozen the
 * way AppSync makes them read-only; `ctx.stash` is the writable place and is shared by every
 * handler of one resolver run (before, functions, after).
 */
import type { FieldInvocation } from './types.ts';

export interface MutableContext {
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly args: Readonly<Record<string, unknown>>;
  readonly identity: unknown;
  readonly source: unknown;
  readonly stash: Record<string, unknown>;
  readonly request: { readonly headers: Readonly<Record<string, string>>; readonly domainName: string | null };
  readonly info: {
    readonly fieldName: string;
    readonly parentTypeName: string;
    readonly variables: Readonly<Record<string, unknown>>;
    readonly selectionSetList: readonly string[];
    readonly selectionSetGraphQL: string;
  };
  readonly env: Readonly<Record<string, string>>;
  prev: { result: unknown };
  result: unknown;
  error: { message: string; type: string } | undefined;
}

export function createContext(field: FieldInvocation, env: Readonly<Record<string, string>>): MutableContext {
  const args = field.arguments;
  return {
    arguments: args,
    args,
    identity: field.scope.auth.identity,
    source: field.source ?? null,
    stash: {},
    request: Object.freeze({ headers: field.scope.headers, domainName: field.scope.domainName }),
    info: Object.freeze({
      fieldName: field.fieldName,
      parentTypeName: field.typeName,
      variables: field.scope.variables,
      selectionSetList: field.selectionSetList,
      selectionSetGraphQL: field.selectionSetGraphQL,
    }),
    env,
    prev: { result: undefined },
    result: undefined,
    error: undefined,
  };
}

/**
 * The view handed to a handler: a fresh object whose top-level properties cannot be reassigned
 * (writing `ctx.result = x` is a no-op in sloppy code and a TypeError in strict modules, as the
 * AppSync linter forbids it), sharing the same stash.
 */
export function viewOf(ctx: MutableContext): unknown {
  return Object.freeze({
    arguments: ctx.arguments,
    args: ctx.args,
    identity: ctx.identity,
    source: ctx.source,
    stash: ctx.stash,
    request: ctx.request,
    info: ctx.info,
    env: ctx.env,
    prev: Object.freeze({ result: ctx.prev.result }),
    result: ctx.result,
    error: ctx.error,
  });
}
