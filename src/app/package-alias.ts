/**
 * An app's config says `import { defineApp } from 'switchboard'`. Inside this repository (and in a
 * project that installed the package) that resolves normally; an app folder anywhere else on disk
 * has no `node_modules/switchboard`. So the loader maps the bare specifier `switchboard` to this
 * package's entry for both module systems tsx may use to evaluate the config: an ESM resolve hook
 * and the CommonJS resolver.
 */
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

const ENTRY_URL = new URL('../index.ts', import.meta.url).href;
let installed = false;

export function installPackageAlias(): void {
  if (installed) return;
  installed = true;
  const hooks = `
    export async function resolve(specifier, context, next) {
      if (specifier === 'switchboard') return { url: ${JSON.stringify(ENTRY_URL)}, shortCircuit: true };
      return next(specifier, context);
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`, import.meta.url);
  const entryPath = fileURLToPath(ENTRY_URL);
  const cjs = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const original = cjs._resolveFilename;
  cjs._resolveFilename = function resolveFilename(request: string, ...rest: unknown[]): string {
    if (request === 'switchboard') return entryPath;
    return original.call(this, request, ...rest);
  };
}
