/**
 * The APPSYNC_JS sandbox: a `node:vm` context per resolver module whose globals are what AppSync
 * documents (`util`, `extensions`, `runtime`, `console`, `JSON` whose `parse` returns "" on bad
 * input, the standard built-ins of the context) and nothing of Node (`process`, `Buffer`, timers,
 * `fetch` are absent). Modules are bundled to CommonJS by esbuild with `@aws-appsync/*` external;
 * the context's `require` serves only those specifiers (so, unlike AppSync, `typeof require` is
 * "function" in resolver code; Node built-ins are already refused when bundling).
 *
 * This is fidelity, not isolation: `node:vm` is no security boundary (host objects such as `util`
 * lead back to the host's `Function`). Resolver code is the app author's own, as trusted as a
 * plain TypeScript resolver.
 */
import vm from 'node:vm';
import { createUtil, dynamodbHelpers, UtilError } from './util/index.ts';
import type { Clock, Logger } from '../core/index.ts';
import { authTypeOf, currentInvocation, pushEffect } from './invocation.ts';
import type { EarlyReturn } from './signals.ts';
import type { AppSyncErrorInfo, ResolverEffect } from './types.ts';

export interface SandboxHost {
  readonly clock: Clock;
  readonly logger: Logger;
}

export interface LoadedModule {
  readonly request?: (ctx: unknown) => unknown;
  readonly response?: (ctx: unknown) => unknown;
}

export function createRuntimeGlobals(host: SandboxHost): { util: unknown; extensions: unknown; runtime: unknown } {
  const util = createUtil({
    clock: host.clock,
    authType: () => authTypeOf(currentInvocation().field.scope.auth.mode),
    appendError: (error) => {
      const inv = currentInvocation();
      inv.field.scope.appendedErrors.push({ path: inv.field.path, error });
    },
    currentField: () => {
      const f = currentInvocation().field;
      return { typeName: f.typeName, fieldName: f.fieldName };
    },
  });
  const extensions = Object.freeze({
    setSubscriptionFilter(filter: unknown) {
      pushEffect({ kind: 'setSubscriptionFilter', path: currentInvocation().field.path, filter });
    },
    setSubscriptionInvalidationFilter(filter: unknown) {
      pushEffect({ kind: 'setSubscriptionInvalidationFilter', path: currentInvocation().field.path, filter });
    },
    invalidateSubscriptions(spec: { subscriptionField?: unknown; payload?: unknown }) {
      const effect = { kind: 'invalidateSubscriptions', subscriptionField: String(spec?.subscriptionField ?? ''), payload: spec?.payload } as const;
      const refused = overInvalidationLimit(currentInvocation().field.scope.effects, effect);
      if (refused !== undefined) throw new UtilError(refused);
      pushEffect(effect);
    },
    evictFromApiCache(typeName: string, fieldName: string, keys: unknown) {
      pushEffect({ kind: 'evictFromApiCache', typeName, fieldName, keys });
    },
  });
  const runtime = Object.freeze({
    earlyReturn(value?: unknown, options?: { skipTo?: 'END' | 'NEXT' }): never {
      const signal: EarlyReturn = { __earlyReturn: true, value: value ?? null, skipTo: options?.skipTo === 'END' ? 'END' : 'NEXT' };
      throw signal;
    },
  });
  return { util, extensions, runtime };
}

/** AppSync: at most 5 distinct `invalidateSubscriptions` calls per request; a repeated call is not a new one. */
const MAX_INVALIDATIONS_PER_REQUEST = 5;

const invalidationKey = (e: { subscriptionField: string; payload: unknown }): string => `${e.subscriptionField}\u0000${JSON.stringify(e.payload) ?? ''}`;

/**
 * The field error for a call past the limit, else undefined. AppSync answers it with a GraphQL
 * error whose wording it does not document; this one names the limit.
 */
function overInvalidationLimit(effects: readonly ResolverEffect[], effect: { subscriptionField: string; payload: unknown }): AppSyncErrorInfo | undefined {
  const distinct = new Set<string>();
  for (const e of effects) if (e.kind === 'invalidateSubscriptions') distinct.add(invalidationKey(e));
  if (distinct.size < MAX_INVALIDATIONS_PER_REQUEST || distinct.has(invalidationKey(effect))) return undefined;
  return {
    message: `A request can make at most ${MAX_INVALIDATIONS_PER_REQUEST} distinct extensions.invalidateSubscriptions calls; this one (subscriptionField '${effect.subscriptionField}') is over the limit.`,
    errorType: 'InvalidationLimitExceeded',
    data: null,
    errorInfo: null,
  };
}

export function evaluateModule(code: string, filename: string, globals: { util: unknown; extensions: unknown; runtime: unknown }, host: SandboxHost): LoadedModule {
  const log = host.logger.child({ resolver: filename });
  const console = Object.freeze({
    log: (...args: unknown[]) => log.log('info', 'resolver console.log', { args }),
    error: (...args: unknown[]) => log.log('warn', 'resolver console.error', { args }),
    warn: (...args: unknown[]) => log.log('warn', 'resolver console.warn', { args }),
    debug: (...args: unknown[]) => log.log('debug', 'resolver console.debug', { args }),
    info: (...args: unknown[]) => log.log('info', 'resolver console.info', { args }),
  });
  const utilsModule = Object.freeze({ ...globals, default: globals });
  const modules: Record<string, unknown> = {
    '@aws-appsync/utils': utilsModule,
    '@aws-appsync/utils/dynamodb': dynamodbHelpers,
  };
  const module = { exports: {} as Record<string, unknown> };
  const context = vm.createContext(
    {
      ...globals,
      console,
      module,
      exports: module.exports,
      require: (specifier: string) => {
        const m = modules[specifier];
        if (m === undefined) throw new Error(`Cannot import '${specifier}': only @aws-appsync/utils and @aws-appsync/utils/dynamodb are available to APPSYNC_JS resolvers`);
        return m;
      },
    },
    { name: filename, codeGeneration: { strings: false, wasm: false } },
  );
  // APPSYNC_JS's JSON.parse returns "" instead of throwing on invalid input.
  vm.runInContext(
    `(() => { const parse = JSON.parse; JSON.parse = function (text, reviver) { try { return parse(text, reviver); } catch { return ''; } }; })();`,
    context,
  );
  new vm.Script(code, { filename }).runInContext(context, { timeout: 1000 });
  const exports = module.exports;
  const pick = (name: string) => (typeof exports[name] === 'function' ? (exports[name] as (ctx: unknown) => unknown) : undefined);
  const request = pick('request');
  const response = pick('response');
  return { ...(request ? { request } : {}), ...(response ? { response } : {}) };
}
