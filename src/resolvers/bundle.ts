/**
 * Compiles a resolver source file the way AppSync's docs tell users to build theirs: esbuild
 * bundles its relative imports, leaves `@aws-appsync/*` external, and emits one script (CommonJS
 * here, so the sandbox can hand it the runtime's modules through `require`). TypeScript resolver
 * files compile the same way.
 */
import { build } from 'esbuild';
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
      external: ['@aws-appsync/*'],
      sourcemap: 'inline',
      sourcesContent: false,
      logLevel: 'silent',
    });
    const out = result.outputFiles[0];
    if (out === undefined) throw new Error('esbuild produced no output');
    return out.text;
  } catch (cause) {
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new SwitchboardError('SB_RESOLVER_LOAD_FAILED', `${file.path}: cannot compile resolver: ${message}`, { cause });
  }
}
