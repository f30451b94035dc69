/**
 * Compiles a resolver source file the way AppSync's docs tell users to build theirs: esbuild
 * bundles its relative imports, leaves `@aws-appsync/*` external, and emits one script (CommonJS
 * here, so the sandbox can hand it the runtime's modules through `require`). TypeScript resolver
 * files compile the same way.
 */
import { build, type Plugin } from 'esbuild';
import { isBuiltin } from 'node:module';
import { dirname, extname } from 'node:path';
import { SwitchboardError } from '../core/index.ts';
import type { SourceFile } from '../app/index.ts';

export async function bundleResolver(file: SourceFile): Promise<string> {
  const ext = extname(file.path);
  try {
    const result = await build({
      stdin: { contents: file.text, resolveDir: dirname(file.path), sourcefile: file.path, loader: ext === '.ts' ? 'ts' : 'js' },
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      // AppSync evaluates resolvers as ES modules, which are always strict; esbuild's CommonJS
      // output of an ES module is not, so assigning to `ctx.result` would be silently ignored.
      banner: { js: '"use strict";' },
      external: ['@aws-appsync/*'],
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [refuseNodeBuiltins],
    });
    const out = result.outputFiles[0];
    if (out === undefined) throw new Error('esbuild produced no output');
    return out.text;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new SwitchboardError('SB_RESOLVER_LOAD_FAILED', `${file.path}: cannot compile resolver: ${message}`, { cause });
  }
}

/**
 * APPSYNC_JS has no file system or network: AppSync does the I/O from the returned request
 * object. esbuild's own "Could not resolve" (with a hint to bundle for node) would not say that.
 */
const refuseNodeBuiltins: Plugin = {
  name: 'switchboard-refuse-node-builtins',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (!isBuiltin(args.path)) return undefined;
      return {
        errors: [
          {
            text: `Cannot import '${args.path}': APPSYNC_JS resolvers have no Node APIs (only @aws-appsync/utils, @aws-appsync/utils/dynamodb and bundled code); use a data source for I/O, or a plain TypeScript resolver`,
          },
        ],
      };
    });
  },
};
