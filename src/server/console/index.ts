/**
 * The web console at `/console`: its HTTP API and the serving of its built page (console/).
 */
export { consoleRoutes, type ConsoleDeps } from './routes.ts';
export { ensureConsoleBuilt } from './console-build.ts';
export { CONSOLE_OPERATIONS } from './operation-call.ts';
