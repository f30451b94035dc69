/**
 * The app's `functions/<name>.ts` handlers (Lambda-style `handler(event, context)`), loaded once
 * per app definition, so a `switchboard dev` reload picks up edited files. Used by Lambda bus
 * targets and by workflow tasks.
 */
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
      loaded =
        file === undefined
          ? Promise.resolve(undefined)
          : tsImport(pathToFileURL(file).href, import.meta.url).then((mod: Record<string, unknown>) => {
              const fn = mod['handler'] ?? mod['default'];
              if (typeof fn !== 'function') throw new Error(`functions/${name} must export a function named handler (or a default export)`);
              return fn as FunctionHandler;
            });
      // A failed import is not remembered: the next attempt tries again (the file may be fixed).
      const c = cache;
      loaded.catch(() => c.delete(name));
      cache.set(name, loaded);
    }
    return loaded;
  };
}
