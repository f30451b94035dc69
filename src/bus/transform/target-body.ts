import type { EventEnvelope } from '../envelope/index.ts';
import type { TransformContext } from './predefined-variables.ts';

/**
 * Produces the body one target receives for one event, or undefined when AWS would deliver
 * nothing at all (the transformed text is not valid JSON; see docs/transformers.md). Compiled
 * once per target, called once per matched event: no parsing happens here.
 */
export type TargetBody = (event: EventEnvelope, ctx: TransformContext) => string | undefined;
