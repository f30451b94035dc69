/**
 * The rule of ARCHITECTURE.md (performance): in the folders whose code runs per request, event or
 * workflow step, no object literal starts with a spread and has other members after it
 * (`{ ...a, key: v }`, `{ ...a, ...b }`). V8 11.3 keeps such objects alive through the
 * young-generation GCs (`src/core/objects.ts` says how much); `copyOf` and `merged` build them
 * instead. Read with the TypeScript parser, so multi-line literals count too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const ROOT = join(import.meta.dirname, '..', '..');
/** Where code runs per request, event or step. */
const HOT = [
  'src/workflows/asl',
  'src/workflows/engine',
  'src/tables',
  'src/realtime',
  'src/graphql',
  'src/resolvers',
  'src/bus/delivery',
  'src/bus/patterns',
  'src/bus/transform',
  'src/bus/envelope',
  'src/storage',
  'src/server/http-server.ts',
  'src/server/socket-session.ts',
];

/** Literals built once (per app load, store or target config), where the cost does not matter. */
const ONCE: readonly string[] = [
  'src/resolvers/sandbox.ts', // the module globals: once per resolver module load
  'src/resolvers/util/create-util.ts', // `util`: once per app load
  'src/bus/delivery/target-config.ts', // a target's parsed config: cached by its text
  'src/storage/sqlite/workflow-store.ts', // the store object: once
  'src/storage/sqlite/workflow-writer.ts', // the store object: once
];
const allowed = (found: string): boolean => ONCE.some((file) => found.startsWith(`${file}:`));

function files(path: string): string[] {
  const full = join(ROOT, path);
  if (statSync(full).isFile()) return [full];
  return readdirSync(full, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(path, e.name)) : e.name.endsWith('.ts') ? [join(full, e.name)] : []));
}

/** `file:line | text` of each literal that starts with a spread and has more members. */
function spreadStartedLiterals(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isObjectLiteralExpression(node) && node.properties.length > 1 && ts.isSpreadAssignment(node.properties[0] as ts.Node)) {
      const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
      found.push(`${relative(ROOT, file)}:${line + 1} | ${node.getText(source).replace(/\s+/g, ' ').slice(0, 100)}`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

test('no object literal in per-request code starts with a spread and has more members', () => {
  const found = HOT.flatMap(files).flatMap(spreadStartedLiterals).filter((f) => !allowed(f));
  assert.deepEqual(found, [], `use copyOf/merged from src/core (see src/core/objects.ts):\n${found.join('\n')}`);
});

test('the scan finds such a literal, on one line or several', () => {
  const probe = join(ROOT, 'test', 'fixtures', 'spread-literal-probe.ts');
  assert.deepEqual(spreadStartedLiterals(probe).map((f) => f.split(' | ')[1]), ['{ ...a, b: 1 }', '{ ...a, ...b }', '{ ...a, c, }']);
});
