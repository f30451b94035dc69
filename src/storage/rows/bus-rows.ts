/**
 * The bus configuration's rows (`bus_buses`, `bus_rules`) as both the SQLite and the PostgreSQL
 * adapter read them, their mapping to `StoredBus` and `StoredRule` and back, and the version of
 * the target JSON both store in `bus_targets.config`. Both schemas name and type these columns
 * alike (PostgreSQL's BIGINTs arrive as JS numbers, see `postgres/database.ts`).
 */
import type { RuleState, StoredBus, StoredRule } from '../bus-store.ts';

/** Version of the JSON in `bus_targets.config`; a later release that changes it migrates by this. */
export const TARGET_FORMAT = 1;

export interface BusRow {
  name: string;
  description: string | null;
  created_at: number;
  updated_at: number;
}

export interface RuleRow {
  bus: string;
  name: string;
  event_pattern: string | null;
  schedule: string | null;
  state: string;
  description: string | null;
  role_arn: string | null;
  created_at: number;
  updated_at: number;
}

export const toBus = (row: BusRow): StoredBus => ({
  name: row.name,
  ...(row.description !== null ? { description: row.description } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const toRule = (row: RuleRow): StoredRule => ({
  bus: row.bus,
  name: row.name,
  ...(row.event_pattern !== null ? { eventPattern: row.event_pattern } : {}),
  ...(row.schedule !== null ? { scheduleExpression: row.schedule } : {}),
  state: row.state as RuleState,
  ...(row.description !== null ? { description: row.description } : {}),
  ...(row.role_arn !== null ? { roleArn: row.role_arn } : {}),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

/** A bus's values in the column order of both adapters' insert: (name, description, created_at, updated_at). */
export const busValues = (b: StoredBus): (string | number | null)[] => [b.name, b.description ?? null, b.createdAt, b.updatedAt];

/**
 * A rule's values in the column order of both adapters' upsert:
 * (bus, name, event_pattern, schedule, state, description, role_arn, created_at, updated_at).
 */
export const ruleValues = (r: StoredRule): (string | number | null)[] => [
  r.bus, r.name, r.eventPattern ?? null, r.scheduleExpression ?? null, r.state, r.description ?? null, r.roleArn ?? null, r.createdAt, r.updatedAt,
];
