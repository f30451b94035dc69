/**
 * The EventBridge wire API (AWS JSON 1.1, `X-Amz-Target: AWSEvents.<Op>`), transport-neutral.
 */
export { createBusApi, AWS_EVENTS_TARGET_PREFIX, SWITCHBOARD_EVENTS_TARGET_PREFIX, type BusApi, type BusApiRequest } from './bus-api.ts';
export { awsJsonError, type AwsJsonAnswer } from './aws-json-error.ts';
export { archiveFilter } from './archive-filter.ts';
export { busStream, type BusApiDeps } from './context.ts';
export { OPERATIONS as BUS_API_OPERATIONS } from './operations.ts';
