export { AUTH_MODES, defineApp } from './types.ts';
export type * from './types.ts';
export { loadApp, buildDefinition } from './load-app.ts';
export { watchApp } from './watch-app.ts';
