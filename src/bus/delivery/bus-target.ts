/**
 * The event-bus target (`arn:aws:events:R:A:event-bus/<name>`): the matched event is re-injected,
 * as-is (same id, same envelope: `Input`/`InputPath`/`InputTransformer` do not apply), into
 * another bus, whose rules then match it.
 * - A bus of this Switchboard (the ARN's region is this one's, or has no link): appended to its
 *   log. The log keeps one record per id per stream, so A → B → A stops at A: no loops.
 * - A bus in a region with a link (`links` in defineApp): sent to that Switchboard with its
 *   credentials, stamped with its origin region and hop count. Like EventBridge across accounts
 *   ("only one hop"), an event that already crossed `maxHops` links (default 1) is not sent on,
 *   and an event is never sent back to the region it came from.
 */
import type { EventLog } from '../../storage/index.ts';
import { busStream } from '../api/index.ts';
import { readForwardMeta, writeForwardMeta, type ForwardMeta } from './forward-meta.ts';
import { targetRef } from './target-arn.ts';
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';

export interface ForwardedEvent extends ForwardMeta {
  /** The envelope, JSON text. */
  readonly event: string;
}

/** A link to another Switchboard serving `region`. */
export interface BusLink {
  readonly region: string;
  readonly maxHops: number;
  forward(bus: string, events: readonly ForwardedEvent[]): Promise<InvokeOutcome>;
}

export interface BusTargetDeps {
  readonly eventLog: EventLog;
  readonly busExists: (name: string) => Promise<boolean>;
  /** This Switchboard's region. */
  readonly region: () => string;
  readonly linkFor: (region: string) => BusLink | undefined;
}

export function createBusTarget(deps: BusTargetDeps): TargetInvoker {
  return async (target, _input, job): Promise<InvokeOutcome> => {
    const ref = targetRef(target);
    if (ref.kind !== 'bus') return { ok: false, code: 'NO_RESOURCE', message: `not an event bus ARN: ${target.arn}`, retryable: false };
    const here = deps.region();
    const record = await deps.eventLog.find(busStream(job.bus), job.eventId);
    const meta = readForwardMeta(record?.meta, here);
    const link = ref.region === here || ref.region === '' ? undefined : deps.linkFor(ref.region);
    if (link === undefined) {
      if (ref.region !== here && ref.region !== '') {
        return { ok: false, code: 'NO_RESOURCE', message: `No link to region ${ref.region} (declare it in links) for ${target.arn}`, retryable: false };
      }
      if (!(await deps.busExists(ref.name))) return { ok: false, code: 'NO_RESOURCE', message: `Event bus ${ref.name} does not exist.`, retryable: false };
      await deps.eventLog.append(busStream(ref.name), [{ id: job.eventId, time: job.eventTime, payload: job.event, ...(record?.meta !== undefined ? { meta: record.meta } : {}) }]);
      return { ok: true };
    }
    if (meta.origin === link.region) return { ok: true, note: `not sent back to ${link.region}, where the event came from` };
    if (meta.hops >= link.maxHops) return { ok: true, note: `not sent on: the event already crossed ${meta.hops} link(s) (maxHops ${link.maxHops})` };
    return link.forward(ref.name, [{ event: job.event, origin: meta.origin, hops: meta.hops + 1 }]);
  };
}

export { writeForwardMeta };
