export { ResolverFieldError, DataSourceError } from './types.ts';
export type {
  AppSyncErrorInfo,
  RequestScope,
  ResolverEffect,
  FieldInvocation,
  ResolverRuntime,
  DataSource,
  DataSourceCall,
} from './types.ts';
export { createResolverRuntime } from './runtime.ts';
export type { ResolverRuntimeOptions } from './runtime.ts';
export { createDataSource } from './data-sources/index.ts';
export type { DataSourceDeps } from './data-sources/index.ts';
