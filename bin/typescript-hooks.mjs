// Module hooks that compile this package's TypeScript sources on load (registered by
// bin/switchboard.js). tsx does the same job for tests and for app code, but its esbuild options
// include `keepNames`, which wraps every function expression in a call that redefines its `name`:
// each closure created at run time then carries a property array of its own (~256 bytes) and costs
// an `Object.defineProperty`. The server creates closures per connection and per request, so it
// loads its own sources without that option. Types are stripped, nothing else changes: no names
// are minified, imports are kept as written (`verbatimModuleSyntax`). Compiled text is cached on
// disk (node_modules/.cache, inside the package: not a shared temp folder where another user
// could plant compiled code) by a hash of the source and the options, with its source map beside
// it: the module's text points at the map's file instead of carrying it inline (an inline map
// would stay in the heap for as long as the module's source does, about 6 MB for the server).
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform, version } from 'esbuild';

const TYPESCRIPT = /\.m?ts$/;
const OPTIONS = {
  loader: 'ts',
  format: 'esm',
  target: `node${process.versions.node}`,
  sourcemap: 'external',
  // Stack traces need lines, not the text: a map's copy of the source would stay in the heap.
  sourcesContent: false,
  tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
};
const CACHE = fileURLToPath(new URL('../node_modules/.cache/switchboard-ts/', import.meta.url));
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
  const { code, map } = await transform(source, { ...OPTIONS, sourcefile: file });
  try {
    // Each file is written aside and renamed, so a concurrent reader never sees half of one; the
    // map lands before the code that points at it.
    await mkdir(CACHE, { recursive: true });
    // Relative to the module: Node reads a map from a relative URL, not from an absolute `file:` one.
    const withMap = `${code}//# sourceMappingURL=${encodeURI(relative(dirname(file), `${cached}.map`))}\n`;
    await writeAtomically(`${cached}.map`, map);
    await writeAtomically(cached, withMap);
    return withMap;
  } catch {
    // No cache folder: the map goes inline (a cache that cannot be written only costs a compile).
    return `${code}//# sourceMappingURL=data:application/json;base64,${Buffer.from(map).toString('base64')}\n`;
  }
}

async function writeAtomically(path, text) {
  const partial = `${path}.${process.pid}.tmp`;
  await writeFile(partial, text);
  await rename(partial, path);
}

export async function load(url, context, nextLoad) {
  if (!url.startsWith('file:')) return nextLoad(url, context);
  const { pathname } = new URL(url);
  if (!TYPESCRIPT.test(pathname) || pathname.includes('/node_modules/')) return nextLoad(url, context);
  return { format: 'module', source: await compile(fileURLToPath(url)), shortCircuit: true };
}
