/**
 * The replay tables' rows (`bus_archives`, `bus_replays`, `bus_schedules`) as both the SQLite and
 * the PostgreSQL adapter read them, and their mapping to the `BusReplayStore` types and back.
 * Both schemas name and type these columns alike (PostgreSQL's BIGINTs arrive as JS numbers, see
 * `postgres/database.ts`); `filter_rules` is JSON text on both.
 */
import type { ReplayState, ScheduleState, StoredArchive, StoredReplay } from '../bus-replay-store.ts';

export interface ArchiveRow {
  name: string;
  bus: string;
  description: string | null;
  event_pattern: string | null;
  retention_days: number;
  start_offset: number;
  created_at: number;
}

export interface ReplayRow {
  name: string;
  archive: string;
  description: string | null;
  bus: string;
  filter_rules: string | null;
  event_start: number;
  event_end: number;
  state: ReplayState;
  state_reason: string | null;
  cursor: number;
  through: number;
  started_at: number;
  ended_at: number | null;
  last_replayed: number | null;
}

export interface ScheduleRow {
  expression: string;
  next_at: number | null;
}

export const toArchive = (r: ArchiveRow): StoredArchive => ({
  name: r.name,
  bus: r.bus,
  ...(r.description !== null ? { description: r.description } : {}),
  ...(r.event_pattern !== null ? { eventPattern: r.event_pattern } : {}),
  retentionDays: r.retention_days,
  startOffset: r.start_offset,
  createdAt: r.created_at,
});

export const toReplay = (r: ReplayRow): StoredReplay => ({
  name: r.name,
  archive: r.archive,
  ...(r.description !== null ? { description: r.description } : {}),
  bus: r.bus,
  ...(r.filter_rules !== null ? { filterRules: JSON.parse(r.filter_rules) as string[] } : {}),
  eventStartTime: r.event_start,
  eventEndTime: r.event_end,
  state: r.state,
  ...(r.state_reason !== null ? { stateReason: r.state_reason } : {}),
  cursor: r.cursor,
  throughOffset: r.through,
  startedAt: r.started_at,
  ...(r.ended_at !== null ? { endedAt: r.ended_at } : {}),
  ...(r.last_replayed !== null ? { lastReplayedTime: r.last_replayed } : {}),
});

export const toScheduleState = (r: ScheduleRow): ScheduleState => ({ expression: r.expression, nextAt: r.next_at });

/**
 * An archive's values in the column order of both adapters' insert:
 * (name, bus, description, event_pattern, retention_days, start_offset, created_at).
 */
export const archiveValues = (a: StoredArchive): (string | number | null)[] => [
  a.name, a.bus, a.description ?? null, a.eventPattern ?? null, a.retentionDays, a.startOffset, a.createdAt,
];

/**
 * A new replay's values in the column order of both adapters' insert (which writes `state_reason`,
 * `ended_at` and `last_replayed` as NULL itself):
 * (name, archive, description, bus, filter_rules, event_start, event_end, state, cursor, through, started_at).
 */
export const replayValues = (r: StoredReplay): (string | number | null)[] => [
  r.name, r.archive, r.description ?? null, r.bus, r.filterRules === undefined ? null : JSON.stringify(r.filterRules), r.eventStartTime, r.eventEndTime, r.state, r.cursor, r.throughOffset, r.startedAt,
];
