/**
 * The archive, replay and schedule half of the `BusStore` port.
 *
 * An archive holds no copy of the events: it is a filter (bus, pattern, retention) over the bus's
 * event-log stream from the offset where it was created, so an event is archived the moment its
 * PutEvents is answered (no archive lag). A replay is a cursor over that stream.
 *
 * Guarantees every adapter gives, on top of the `BusStore` ones:
 * - `advanceReplay` stores the jobs and moves the replay's cursor in ONE transaction, so after a
 *   crash a replay continues where its last committed page ended (at-least-once, nothing skipped).
 * - `setScheduleState` is durable before it resolves; a schedule's next fire time survives restarts.
 */
import type { DeliveryJob, NewDeliveryJob } from './bus-store.ts';

export interface StoredArchive {
  readonly name: string;
  readonly bus: string;
  readonly description?: string;
  /** Pattern text as given; absent: every event of the bus. */
  readonly eventPattern?: string;
  /** 0 = keep forever. */
  readonly retentionDays: number;
  /** Offset of the bus stream's head when the archive was created: it holds the events after it. */
  readonly startOffset: number;
  readonly createdAt: number;
}

export type ReplayState = 'STARTING' | 'RUNNING' | 'CANCELLING' | 'COMPLETED' | 'CANCELLED' | 'FAILED';

export interface StoredReplay {
  readonly name: string;
  readonly archive: string;
  readonly description?: string;
  /** The destination bus (AWS requires the archive's own bus). */
  readonly bus: string;
  /** Rule names the replay is restricted to; absent: every rule of the bus. */
  readonly filterRules?: readonly string[];
  /** ms since the epoch; events whose `time` is in [start, end) are replayed. */
  readonly eventStartTime: number;
  readonly eventEndTime: number;
  readonly state: ReplayState;
  readonly stateReason?: string;
  /** Last stream offset replayed (starts at the archive's `startOffset`). */
  readonly cursor: number;
  /** Head of the stream when the replay started: it ends there. */
  readonly throughOffset: number;
  readonly startedAt: number;
  readonly endedAt?: number;
  /** `time` of the last event replayed, ms. */
  readonly lastReplayedTime?: number;
}

export interface ScheduleState {
  /** The expression the next fire time was computed from: a changed rule recomputes it. */
  readonly expression: string;
  /** ms since the epoch; `null` once a one-off `at(...)` has fired. */
  readonly nextAt: number | null;
}

export type CreateArchiveOutcome = 'created' | 'exists' | 'no-bus';
export type CreateReplayOutcome = 'created' | 'exists' | 'no-archive' | 'limit';

export interface BusReplayStore {
  createArchive(archive: StoredArchive): Promise<CreateArchiveOutcome>;
  getArchive(name: string): Promise<StoredArchive | undefined>;
  /** In name order, after `after`, names starting with `prefix`. */
  listArchives(query: { readonly prefix?: string; readonly bus?: string; readonly after?: string; readonly limit: number }): Promise<readonly StoredArchive[]>;
  /** false when absent. Only description, pattern and retention change. */
  updateArchive(name: string, change: { readonly description?: string; readonly eventPattern?: string; readonly retentionDays?: number }): Promise<boolean>;
  deleteArchive(name: string): Promise<boolean>;

  /** `limit` when `maxActive` replays are STARTING/RUNNING/CANCELLING already. */
  createReplay(replay: StoredReplay, maxActive: number): Promise<CreateReplayOutcome>;
  getReplay(name: string): Promise<StoredReplay | undefined>;
  listReplays(query: { readonly prefix?: string; readonly state?: ReplayState; readonly archive?: string; readonly after?: string; readonly limit: number }): Promise<readonly StoredReplay[]>;
  /** STARTING/RUNNING/CANCELLING replays, oldest first. */
  activeReplays(): Promise<readonly StoredReplay[]>;
  /** Stores the jobs and moves the cursor (and the state to RUNNING) together. */
  advanceReplay(name: string, cursor: number, lastReplayedTime: number | undefined, jobs: readonly NewDeliveryJob[]): Promise<readonly DeliveryJob[]>;
  /** Sets a state (COMPLETED, CANCELLING, CANCELLED, FAILED); answers the previous state, undefined when absent. */
  setReplayState(name: string, state: ReplayState, now: number, reason?: string): Promise<ReplayState | undefined>;

  getScheduleState(bus: string, rule: string): Promise<ScheduleState | undefined>;
  setScheduleState(bus: string, rule: string, state: ScheduleState): Promise<void>;
  deleteScheduleState(bus: string, rule: string): Promise<void>;
}
