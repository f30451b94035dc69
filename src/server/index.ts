export { startSwitchboard } from './switchboard.ts';
export type { SwitchboardOptions, RunningSwitchboard } from './switchboard.ts';
export { MetricsRegistry } from './metrics.ts';
export { ensureConsoleBuilt } from './console/index.ts';
export type { ClusterOptions } from './backend.ts';
