// Module hooks that compile this package's TypeScript sources on load (registered by
// bin/switchboard.js). tsx does the same job for tests and for app code, but its esbuild options
// include `keepNames`, which wraps every function expression in a call that redefines its `name`:
// each closure created at run time then carries a property array of its own (~256 bytes) and costs
// an `Object.defineProperty`. The server creates closures per connection and per request, so it
// loads its own sources without that option. Types are stripped, nothing else changes: no names
// are minified, imports are kept as written (`verbatimModuleSyntax`), source maps are inline.
// Compiled text is cached on disk by a hash of the source and the options, as tsx caches its own.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform, version } from 'esbuild';

const TYPESCRIPT = /\.m?ts$/;
const OPTIONS = {
  loader: 'ts',
  format: 'esm',
  target: `node${process.versions.node}`,
  sourcemap: 'inline',
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
};
const CACHE = join(tmpdir(), `switchboard-ts-${userInfo().uid}`);
const CACHE_SALT = JSON.stringify([version, OPTIONS]);

async function compile(file) {
  const source = await readFile(file, 'utf8');
  const key = createHash('sha256').update(CACHE_SALT).update(file).update('\0').update(source).digest('hex');
  const cached = join(CACHE, `${key}.mjs`);
  try {
    return await readFile(cached, 'utf8');
  } catch {
    // Not compiled yet.
  }
  const { code } = await transform(source, { ...OPTIONS, sourcefile: file });
  try {
    // Written aside and renamed, so a concurrent reader never sees half a file.
    await mkdir(CACHE, { recursive: true });
    const partial = `${cached}.${process.pid}.tmp`;
    await writeFile(partial, code);
    await rename(partial, cached);
  } catch {
    // A cache that cannot be written only costs the next start a compile.
  }
  return code;
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const { pathname } = new URL(url);
  if (!TYPESCRIPT.test(pathname) || pathname.includes('/node_modules/')) return nextLoad(url, context);
  return { format: 'module', source: await compile(fileURLToPath(url)), shortCircuit: true };
}
