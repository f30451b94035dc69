export { buildAppSchema, PLACEHOLDER_QUERY_FIELD } from './schema.ts';
export { AWS_SCALARS } from './scalars.ts';
export { createGraphqlService } from './service.ts';
export type { GraphqlService, GraphqlServiceOptions, GraphqlRequest, RequestMeta, ExecutionOutcome } from './service.ts';
export { handleGraphqlHttp, readGraphqlRequest } from './http.ts';
export type { GraphqlHttpInput, GraphqlHttpDeps, GraphqlHttpResponse, AuthenticateFn } from './http.ts';
export type { WireError } from './document-cache.ts';
export { PreparedSubscriptions, triggersOf } from './subscription.ts';
export type { PreparedSubscription, SubscribeOutcome } from './subscription.ts';
