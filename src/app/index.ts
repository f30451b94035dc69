export { AUTH_MODES, defineApp } from './types.ts';
export type * from './types.ts';
