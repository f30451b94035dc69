/** The package's public entry: what an app's `switchboard.config.ts` imports. */
export { defineApp } from './app/index.ts';
export type { AppConfig } from './app/index.ts';
