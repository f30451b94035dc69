import type { EventEnvelope, JsonValue } from '../envelope/index.ts';

/** What the dispatcher knows about one delivery besides the event itself. */
export interface TransformContext {
  readonly ruleArn: string;
  readonly ruleName: string;
  /** When the bus accepted the event (ISO 8601); AWS's `aws.events.event.ingestion-time`. */
  readonly ingestionTime: string;
}

export type PredefinedReader = (event: EventEnvelope, ctx: TransformContext) => JsonValue;

/**
 * The reserved `<aws.events.*>` placeholders: they need no InputPathsMap entry and cannot be
 * redefined (their dots are not allowed in InputPathsMap keys).
 */
export const PREDEFINED_VARIABLES: ReadonlyMap<string, PredefinedReader> = new Map<string, PredefinedReader>([
  ['aws.events.rule-arn', (_event, ctx) => ctx.ruleArn],
  ['aws.events.rule-name', (_event, ctx) => ctx.ruleName],
  ['aws.events.event.ingestion-time', (_event, ctx) => ctx.ingestionTime],
  ['aws.events.event', eventMetadata],
  // The whole original event, `detail` included, exactly as a target without input settings gets it.
  ['aws.events.event.json', (event) => event as unknown as JsonValue],
]);

/**
 * `<aws.events.event>` as recorded on AWS: no `detail`, `detailType` in camelCase, `time` set
 * to the ingestion time, and this key order.
 */
function eventMetadata(event: EventEnvelope, ctx: TransformContext): JsonValue {
  return {
    id: event.id,
    account: event.account,
    detailType: event['detail-type'],
    time: ctx.ingestionTime,
    source: event.source,
    region: event.region,
    resources: event.resources,
    version: event.version,
  };
}
