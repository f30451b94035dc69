// `--import ./bin/typescript-loader.mjs` (or a plain import) makes Node load this package's
// TypeScript through typescript-hooks.mjs. The CLI and the bench processes use it, so a benchmark
// measures the code as the server runs it.
import { register } from 'node:module';

register('./typescript-hooks.mjs', import.meta.url);
// Stack traces name the TypeScript file and line.
process.setSourceMapsEnabled(true);
