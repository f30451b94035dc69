/**
 * `npm run bench [name...]`: runs the benchmarks in bench/ (each a module exporting `run()`), or
 * only the named ones. Each prints our figure, the peer's from the same run, and their ratio.
 */
import { readdirSync } from 'node:fs';

const names = readdirSync(new URL('.', import.meta.url))
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();
const wanted = process.argv.slice(2);
const selected = wanted.length === 0 ? names : names.filter((n) => wanted.includes(n));
if (selected.length === 0) {
  console.error(`no benchmark named ${wanted.join(', ')}; have: ${names.join(', ')}`);
  process.exit(1);
}
for (const name of selected) {
  console.log(`\n# bench/${name}`);
  const mod = (await import(`./${name}.bench.ts`)) as { run: () => Promise<void> };
  await mod.run();
}
