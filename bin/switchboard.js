#!/usr/bin/env node
// The `switchboard` command. The sources are TypeScript; tsx's loader compiles them on load, so the
// package has no build step and `npm install && npm start` works on a fresh clone.
import { register } from 'tsx/esm/api';

// graphql-js checks every `instanceof` across realms unless NODE_ENV is production (a guard against
// two copies of graphql in one app, which cannot happen here); it costs several percent per request.
process.env.NODE_ENV ??= 'production';
register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
