/**
 * The app's `functions/<name>.ts` handlers (Lambda-style `handler(event, context)`), loaded once
 * per app definition, so a `switchboard dev` reload picks up edited files. Used by Lambda bus
 * targets and by workflow tasks; `importHandler` and `invokeHandler` also by the AWS_LAMBDA
 * authorizer.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import type { AppDefinition } from '../app/index.ts';

const FUNCTION_EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];

export type FunctionHandler = (event: unknown, context: { readonly functionName: string; readonly awsRequestId: string }) => unknown;

/** Answers the handler of `functions/<name>`, or undefined when the app has none. */
export type FunctionLoader = (app: AppDefinition, name: string) => Promise<FunctionHandler | undefined>;

export function createFunctionLoader(): FunctionLoader {
  const perApp = new WeakMap<AppDefinition, Map<string, Promise<FunctionHandler | undefined>>>();
  return (app, name) => {
    let cache = perApp.get(app);
    if (cache === undefined) perApp.set(app, (cache = new Map()));
    let loaded = cache.get(name);
    if (loaded === undefined) {
      const file = FUNCTION_EXTENSIONS.map((ext) => join(app.dir, 'functions', `${name}${ext}`)).find((f) => existsSync(f));
      loaded = file === undefined ? Promise.resolve(undefined) : importHandler(file, `functions/${name}`);
      // A failed import is not remembered: the next attempt tries again (the file may be fixed).
      const c = cache;
      loaded.catch(() => c.delete(name));
      cache.set(name, loaded);
    }
    return loaded;
  };
}

/** The handler a module file exports (`handler`, else its default export); `label` names it in the error. */
export async function importHandler(file: string, label: string): Promise<FunctionHandler> {
  const mod = (await tsImport(pathToFileURL(file).href, import.meta.url)) as Record<string, unknown>;
  const fn = mod['handler'] ?? mod['default'];
  if (typeof fn !== 'function') throw new Error(`${label} must export a function named handler (or a default export)`);
  return fn as FunctionHandler;
}

/** Calls a handler as Lambda calls it (`handler(event, {functionName, awsRequestId})`); answers what it returned. */
export async function invokeHandler(handler: FunctionHandler, functionName: string, event: unknown): Promise<unknown> {
  return handler(event, { functionName, awsRequestId: randomUUID() });
}
