export { AUTH_MODES, CHANGE_VIEW_TYPES, PUSH_URGENCY_VALUES, defineApp } from './types.ts';
export type * from './types.ts';
export { loadApp, buildDefinition } from './load-app.ts';
export { watchApp } from './watch-app.ts';
export { lineOfPath } from './source-lines.ts';
