/**
 * What every operation gets: the ports, injected time and ids, quotas, and who is calling
 * (ARNs and envelopes carry the caller's account and the region it signed for).
 */
import type { Clock } from '../../core/index.ts';
import type { BusStore, DeliveryJob, EventLog } from '../../storage/index.ts';
import type { PutEventsLimits } from '../envelope/index.ts';
import type { ArnScope, BusLimits } from '../rules/index.ts';
import type { Input } from './members.ts';

export interface BusApiDeps {
  readonly store: BusStore;
  /** PutEvents appends each bus's events to stream `bus:<name>`. */
  readonly eventLog: EventLog;
  readonly clock: Clock;
  /** Event ids; default time-ordered UUIDv7s on `clock` (`createTimeOrderedIdGenerator`, core). */
  readonly newId?: () => string;
  readonly limits?: BusLimits;
  readonly putEventsLimits?: PutEventsLimits;
  /** Hands redriven jobs to the running delivery (absent: they run at the next start). */
  readonly schedule?: (jobs: readonly DeliveryJob[]) => void;
  /** Wakes the replay runner after StartReplay/CancelReplay (absent: replays run at the next start). */
  readonly kickReplays?: () => void;
}

export interface OperationContext {
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly limits: BusLimits;
  readonly putEventsLimits: PutEventsLimits;
  readonly schedule: (jobs: readonly DeliveryJob[]) => void;
  readonly kickReplays: () => void;
  readonly caller: ArnScope;
}

/** One AWSEvents operation: the decoded input structure in, the output structure out. */
export type Operation = (input: Input, ctx: OperationContext) => Promise<object>;

/** The event-log stream of a bus (shared with the GraphQL EVENT_BUS data source). */
export function busStream(bus: string): string {
  return `bus:${bus}`;
}
