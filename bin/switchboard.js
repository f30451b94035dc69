#!/usr/bin/env node
// The `switchboard` command. The sources are TypeScript, compiled on load (esbuild, types stripped)
// by the hooks that typescript-loader.mjs registers, so the package has no build step and
// `npm install && npm start` works on a fresh clone. App code (config, functions) is loaded
// through tsx's `tsImport` (src/app/load-app.ts), which also resolves what TypeScript projects write.
import './typescript-loader.mjs';

// graphql-js checks every `instanceof` across realms unless NODE_ENV is production (a guard against
// two copies of graphql in one app, which cannot happen here); it costs several percent per request.
process.env.NODE_ENV ??= 'production';
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
