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
