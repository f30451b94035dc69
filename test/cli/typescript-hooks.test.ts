/**
 * bin/typescript-hooks.mjs, the loader of the server's own sources: TypeScript in, the same
 * JavaScript out with types stripped and nothing added (no `keepNames` wrappers, which give every
 * closure a dictionary of properties), imports kept as written, a source map for stack traces.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { REPO_ROOT, RUN_TO_END } from '../support/server-process.ts';

const run = promisify(execFile);
const HOOKS = pathToFileURL(join(REPO_ROOT, 'bin', 'typescript-hooks.mjs')).href;

interface LoadResult { format: string; source: string; shortCircuit?: boolean }
type Load = (url: string, context: object, next: (url: string, context: object) => Promise<LoadResult>) => Promise<LoadResult>;

let dir: string;
let fixture: string;
let load: Load;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sb-ts-hooks-'));
  fixture = join(dir, 'closures.ts');
  writeFileSync(join(dir, 'side.ts'), 'export const side: number = 2;\n');
  writeFileSync(
    fixture,
    [
      "import type { Missing } from './does-not-exist.ts';",
      "import { side } from './side.ts';",
      'export const make = (a: number) => {',
      '  const get = (): number => a + side;',
      '  return get;',
      '};',
      'export function named(m?: Missing): string { return typeof m; }',
      "export function boom(): never { throw new Error('boom'); }",
      '',
    ].join('\n'),
  );
  ({ load } = (await import(HOOKS)) as { load: Load });
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('the server loads its TypeScript sources through bin/typescript-hooks.mjs', () => {
  test('types are stripped, value imports kept as written, no name-keeping wrappers, source map in a file beside the cached text', async () => {
    const out = await load(pathToFileURL(fixture).href, {}, () => Promise.reject(new Error('not passed on')));
    assert.equal(out.format, 'module');
    assert.equal(out.shortCircuit, true);
    assert.doesNotMatch(out.source, /does-not-exist|: number|Missing/);
    assert.match(out.source, /import \{ side \} from "\.\/side\.ts"/);
    assert.doesNotMatch(out.source, /__name|defineProperty/);
    const mapRef = /sourceMappingURL=([^:\s]+\.map)\n$/.exec(out.source)?.[1];
    assert.ok(mapRef !== undefined, 'a relative map reference ends the text');
    // The cache is the package's own (node_modules/.cache), not a shared temp folder.
    assert.ok(fileURLToPath(new URL(mapRef, pathToFileURL(fixture))).startsWith(join(REPO_ROOT, 'node_modules', '.cache', 'switchboard-ts')));
  });

  test('what is not a TypeScript file of this package goes to the next loader', async () => {
    const passed: string[] = [];
    const next = async (url: string): Promise<LoadResult> => {
      passed.push(url);
      return { format: 'module', source: '' };
    };
    const inModules = join(dir, 'node_modules', 'pkg', 'index.ts');
    mkdirSync(join(dir, 'node_modules', 'pkg'), { recursive: true });
    writeFileSync(inModules, 'export {};\n');
    for (const url of ['node:fs', pathToFileURL(join(dir, 'side.js')).href, pathToFileURL(inModules).href]) await load(url, {}, next);
    assert.equal(passed.length, 3);
  });

  test('a closure made by a loaded module keeps fast properties (one made under keepNames does not); stack traces name TypeScript lines', async () => {
    const script = `import { register } from 'node:module';
      register(${JSON.stringify(HOOKS)});
      process.setSourceMapsEnabled(true);
      const m = await import(${JSON.stringify(pathToFileURL(fixture).href)});
      const f = m.make(1);
      let stack = '';
      try { m.boom(); } catch (e) { stack = e.stack; }
      console.log(JSON.stringify({ fast: %HasFastProperties(f), value: f(), names: [f.name, m.named.name], stack }));`;
    const { stdout } = await run(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', script], RUN_TO_END);
    const { stack, ...rest } = JSON.parse(stdout) as { stack: string };
    assert.deepEqual(rest, { fast: true, value: 3, names: ['get', 'named'] });
    // Stack traces name the TypeScript line (the source map): boom is on line 8 of the fixture.
    assert.match(stack, /closures\.ts:8:/);
  });
});
