/**
 * The resolver runtime: compiles every configured resolver once at start (a compile error fails
 * the start, naming the file), then runs them per field. APPSYNC_JS modules run in the sandbox;
 * plain TypeScript resolvers are imported as ordinary modules and called with a plain `ctx`.
 */
import type { AppDefinition, PlainResolver, ResolverDefinition } from '../app/index.ts';
import { SwitchboardError, type Clock, type Logger } from '../core/index.ts';
import { bundleResolver } from './bundle.ts';
import { createContext } from './context.ts';
import { executePipeline, executeUnit, messageOf, toFieldError, type Step } from './execute.ts';
import { createRuntimeGlobals, evaluateModule, type LoadedModule, type SandboxHost } from './sandbox.ts';
import { ResolverFieldError, type DataSource, type FieldInvocation, type ResolverRuntime } from './types.ts';
import type { SourceFile } from '../app/index.ts';

export interface ResolverRuntimeOptions {
  readonly app: AppDefinition;
  readonly dataSources: Readonly<Record<string, DataSource>>;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly importModule: (path: string) => Promise<Record<string, unknown>>;
}

type Compiled = (field: FieldInvocation) => Promise<unknown>;

export async function createResolverRuntime(options: ResolverRuntimeOptions): Promise<ResolverRuntime> {
  const { app, logger } = options;
  const host: SandboxHost = { clock: options.clock, logger };
  const globals = createRuntimeGlobals(host);
  const moduleCache = new Map<string, Promise<LoadedModule>>();
  const load = (file: SourceFile): Promise<LoadedModule> => {
    let m = moduleCache.get(file.path);
    if (m === undefined) {
      m = bundleResolver(file).then((code) => {
        try {
          return evaluateModule(code, file.path, globals, host);
        } catch (cause) {
          throw new SwitchboardError('SB_RESOLVER_LOAD_FAILED', `${file.path}: cannot load resolver: ${messageOf(cause)}`, { cause });
        }
      });
      moduleCache.set(file.path, m);
    }
    return m;
  };
  const dataSource = (name: string, where: string): DataSource => {
    const ds = options.dataSources[name];
    if (ds === undefined) throw new SwitchboardError('SB_CONFIG_INVALID', `${where}: unknown data source '${name}'`);
    return ds;
  };

  const compiled = new Map<string, Compiled>();
  for (const def of app.resolvers) {
    compiled.set(`${def.typeName}.${def.fieldName}`, await compile(def));
  }

  async function compile(def: ResolverDefinition): Promise<Compiled> {
    const where = `resolvers['${def.typeName}.${def.fieldName}']`;
    switch (def.kind) {
      case 'UNIT': {
        const step: Step = { module: await load(def.code), dataSource: dataSource(def.dataSource, where), dataSourceName: def.dataSource };
        return (field) => executeUnit(step, createContext(field, app.env), field, logger);
      }
      case 'PIPELINE': {
        if (def.steps.length > 10) throw new SwitchboardError('SB_CONFIG_INVALID', `${where}: a pipeline holds at most 10 functions, got ${def.steps.length}`);
        const code = def.code === undefined ? undefined : await load(def.code);
        const steps: Step[] = [];
        for (const s of def.steps) steps.push({ module: await load(s.code), dataSource: dataSource(s.dataSource, where), dataSourceName: s.dataSource });
        return (field) => executePipeline(code, steps, createContext(field, app.env), field, logger);
      }
      case 'PLAIN': {
        const mod = await options.importModule(def.handler.path);
        const fn = mod['default'] ?? mod['resolve'];
        if (typeof fn !== 'function') throw new SwitchboardError('SB_RESOLVER_LOAD_FAILED', `${def.handler.path}: export a default function or a function named resolve`);
        return plain(fn as PlainResolver);
      }
      case 'INLINE':
        return plain(def.resolve);
    }
  }

  function plain(fn: PlainResolver): Compiled {
    return async (field) => {
      const ctx = createContext(field, app.env);
      try {
        return await fn({
          arguments: ctx.arguments,
          args: ctx.args,
          identity: ctx.identity,
          source: ctx.source,
          stash: ctx.stash,
          request: ctx.request,
          info: { fieldName: field.fieldName, parentTypeName: field.typeName, variables: field.scope.variables },
          env: ctx.env,
        });
      } catch (error) {
        if (error instanceof ResolverFieldError) throw error;
        const e = error as { message?: unknown; errorType?: unknown; data?: unknown; errorInfo?: unknown };
        if (typeof e?.errorType === 'string') {
          throw new ResolverFieldError({ message: String(e.message ?? ''), errorType: e.errorType, data: e.data ?? null, errorInfo: e.errorInfo ?? null });
        }
        throw toFieldError(error);
      }
    };
  }

  return {
    has: (typeName, fieldName) => compiled.has(`${typeName}.${fieldName}`),
    resolve(field) {
      const run = compiled.get(`${field.typeName}.${field.fieldName}`);
      if (run === undefined) return Promise.resolve(undefined);
      return run(field);
    },
  };
}
