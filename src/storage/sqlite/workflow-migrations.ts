/**
 * The workflow store's schema, as an ordered list of migrations (a database written by an older
 * release is brought forward on open).
 *
 * Version 2 is about write cost: every step of an execution inserts history and rewrites the
 * execution's row, all of it group-committed. Keyed by the execution's ARN (version 1), those
 * inserts land on random pages of every tree, so a commit of a few hundred steps dirtied (and
 * wrote to the WAL) a page per step per tree. Keyed by the execution's `seq` (monotonic), the
 * history, timers and tasks of the executions running now sit together at the end of their trees;
 * a step's history events are one row (`id` = its last event's id, `first_id` its first, `events`
 * their JSON texts one per line: JSON text has no raw newline; a text that has one is stored
 * alone), not one row each; the definition, identical for the executions of a machine, is stored
 * once instead of in every execution row; and the execution is found by its (machine, name), the
 * unique key it needs anyway, instead of a second random index on the ARN.
 */
import { createHash } from 'node:crypto';
import type { MigrationSet, SqliteDb } from './database.ts';

export const definitionHash = (definition: string): string => createHash('sha1').update(definition).digest('base64url');

function v1(db: SqliteDb): void {
  db.exec(`
    CREATE TABLE wf_machines (
      name       TEXT    PRIMARY KEY,
      definition TEXT    NOT NULL,
      role_arn   TEXT    NOT NULL,
      type       TEXT    NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL,
      revision   INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE wf_executions (
      seq           INTEGER PRIMARY KEY AUTOINCREMENT,
      arn           TEXT    NOT NULL UNIQUE,
      machine       TEXT    NOT NULL,
      name          TEXT    NOT NULL,
      status        TEXT    NOT NULL,
      state         TEXT    NOT NULL,
      definition    TEXT    NOT NULL,
      input         TEXT    NOT NULL,
      output        TEXT,
      error         TEXT,
      has_error     INTEGER NOT NULL DEFAULT 0,
      cause         TEXT,
      started_at    INTEGER NOT NULL,
      stopped_at    INTEGER,
      next_event_id INTEGER NOT NULL,
      redrive_count INTEGER NOT NULL DEFAULT 0,
      UNIQUE (machine, name)
    );
    CREATE INDEX wf_executions_by_machine ON wf_executions (machine, seq);
    CREATE TABLE wf_history (
      execution TEXT    NOT NULL,
      id        INTEGER NOT NULL,
      event     TEXT    NOT NULL,
      PRIMARY KEY (execution, id)
    ) WITHOUT ROWID;
    CREATE TABLE wf_timers (
      execution TEXT    NOT NULL,
      timer_id  TEXT    NOT NULL,
      due_at    INTEGER NOT NULL,
      PRIMARY KEY (execution, timer_id)
    ) WITHOUT ROWID;
    CREATE INDEX wf_timers_by_due ON wf_timers (due_at);
    CREATE TABLE wf_tasks (
      execution  TEXT NOT NULL,
      task_id    TEXT NOT NULL,
      invocation TEXT NOT NULL,
      token      TEXT,
      PRIMARY KEY (execution, task_id)
    ) WITHOUT ROWID;
    CREATE INDEX wf_tasks_by_token ON wf_tasks (token) WHERE token IS NOT NULL;
  `);
}

function v2(db: SqliteDb): void {
  db.exec(`
    CREATE TABLE wf_definitions (
      id         INTEGER PRIMARY KEY,
      hash       TEXT    NOT NULL UNIQUE,
      definition TEXT    NOT NULL
    );
    CREATE TABLE wf_executions_v2 (
      seq           INTEGER PRIMARY KEY AUTOINCREMENT,
      arn           TEXT    NOT NULL,
      machine       TEXT    NOT NULL,
      name          TEXT    NOT NULL,
      status        TEXT    NOT NULL,
      state         TEXT    NOT NULL,
      definition_id INTEGER NOT NULL,
      input         TEXT    NOT NULL,
      output        TEXT,
      error         TEXT,
      has_error     INTEGER NOT NULL DEFAULT 0,
      cause         TEXT,
      started_at    INTEGER NOT NULL,
      stopped_at    INTEGER,
      next_event_id INTEGER NOT NULL,
      redrive_count INTEGER NOT NULL DEFAULT 0,
      UNIQUE (machine, name)
    );
    CREATE TABLE wf_history_v2 (
      exec     INTEGER NOT NULL,
      id       INTEGER NOT NULL,
      first_id INTEGER NOT NULL,
      events   TEXT    NOT NULL,
      PRIMARY KEY (exec, id)
    ) WITHOUT ROWID;
    CREATE TABLE wf_timers_v2 (
      exec     INTEGER NOT NULL,
      timer_id TEXT    NOT NULL,
      due_at   INTEGER NOT NULL,
      PRIMARY KEY (exec, timer_id)
    ) WITHOUT ROWID;
    CREATE TABLE wf_tasks_v2 (
      exec       INTEGER NOT NULL,
      task_id    TEXT    NOT NULL,
      invocation TEXT    NOT NULL,
      token      TEXT,
      PRIMARY KEY (exec, task_id)
    ) WITHOUT ROWID;
  `);
  const addDefinition = db.prepare('INSERT INTO wf_definitions (hash, definition) VALUES (?, ?)');
  for (const { definition } of db.prepare<[], { definition: string }>('SELECT DISTINCT definition FROM wf_executions').all()) addDefinition.run(definitionHash(definition), definition);
  db.exec(`
    INSERT INTO wf_executions_v2 (seq, arn, machine, name, status, state, definition_id, input, output, error, has_error, cause, started_at, stopped_at, next_event_id, redrive_count)
      SELECT e.seq, e.arn, e.machine, e.name, e.status, e.state, d.id, e.input, e.output, e.error, e.has_error, e.cause, e.started_at, e.stopped_at, e.next_event_id, e.redrive_count
      FROM wf_executions e JOIN wf_definitions d ON d.definition = e.definition;
    INSERT INTO wf_history_v2 (exec, id, first_id, events) SELECT e.seq, h.id, h.id, h.event FROM wf_history h JOIN wf_executions e ON e.arn = h.execution;
    INSERT INTO wf_timers_v2 (exec, timer_id, due_at) SELECT e.seq, t.timer_id, t.due_at FROM wf_timers t JOIN wf_executions e ON e.arn = t.execution;
    INSERT INTO wf_tasks_v2 (exec, task_id, invocation, token) SELECT e.seq, t.task_id, t.invocation, t.token FROM wf_tasks t JOIN wf_executions e ON e.arn = t.execution;
    DROP TABLE wf_history;
    DROP TABLE wf_timers;
    DROP TABLE wf_tasks;
    DROP TABLE wf_executions;
    ALTER TABLE wf_executions_v2 RENAME TO wf_executions;
    ALTER TABLE wf_history_v2 RENAME TO wf_history;
    ALTER TABLE wf_timers_v2 RENAME TO wf_timers;
    ALTER TABLE wf_tasks_v2 RENAME TO wf_tasks;
    CREATE INDEX wf_executions_by_machine ON wf_executions (machine, seq);
    CREATE INDEX wf_timers_by_due ON wf_timers (due_at);
    CREATE INDEX wf_tasks_by_token ON wf_tasks (token) WHERE token IS NOT NULL;
  `);
}

/**
 * Version 3: history rows in a rowid table. In the WITHOUT ROWID table of version 2 a row's
 * payload is kept in the tree's page only up to about 1,000 bytes (SQLite's limit for index-like
 * trees at 4 KiB pages); the first step of most executions writes more (the start, the states
 * passed through, the task scheduled), so the rest went to an overflow page of its own: a whole
 * 4 KiB page per execution, written to the WAL and copied back by every checkpoint. A rowid table
 * keeps up to about 4,000 bytes in the tree. Its key packs (exec, id) into one integer,
 * `exec * 2^20 + id` (`historyKey`): history ids stay far below 2^20 (an execution fails at 25,000
 * events), and the rows of one execution stay together, in id order.
 */
export const HISTORY_ID_SPAN = 2 ** 20;
export const historyKey = (exec: number, id: number): number => exec * HISTORY_ID_SPAN + id;

function v3(db: SqliteDb): void {
  db.exec(`
    CREATE TABLE wf_history_v3 (
      key      INTEGER PRIMARY KEY,
      first_id INTEGER NOT NULL,
      events   TEXT    NOT NULL
    );
    INSERT INTO wf_history_v3 (key, first_id, events) SELECT exec * ${HISTORY_ID_SPAN} + id, first_id, events FROM wf_history ORDER BY exec, id;
    DROP TABLE wf_history;
    ALTER TABLE wf_history_v3 RENAME TO wf_history;
  `);
}

/**
 * Version 4: history rows in write order. Keyed by (exec, id) (version 3), the steps committed
 * together, one each of the executions running at once, went to as many leaf pages as there were
 * executions: a group commit of 100 steps of 100 executions wrote some 100 history pages to the
 * WAL, for 160 KB of events (a page each, for less than half a page of text). Keyed by `pos`, an
 * increasing counter, every step's row is appended at the right edge of the tree, so a commit writes
 * the pages its events fill and no more. The index on (exec, id) finds an execution's rows; its
 * entries are a few bytes each, so those of the executions running now share a few pages.
 */
function v4(db: SqliteDb): void {
  db.exec(`
    CREATE TABLE wf_history_v4 (
      pos      INTEGER PRIMARY KEY,
      exec     INTEGER NOT NULL,
      id       INTEGER NOT NULL,
      first_id INTEGER NOT NULL,
      events   TEXT    NOT NULL
    );
    INSERT INTO wf_history_v4 (exec, id, first_id, events) SELECT key / ${HISTORY_ID_SPAN}, key % ${HISTORY_ID_SPAN}, first_id, events FROM wf_history ORDER BY key;
    DROP TABLE wf_history;
    ALTER TABLE wf_history_v4 RENAME TO wf_history;
    CREATE UNIQUE INDEX wf_history_by_exec ON wf_history (exec, id);
  `);
}

/**
 * Version 5: a history row's text is the engine's compact encoding of its step's events
 * (`workflows/engine/history-codec.ts`), a third of the JSON it was. The rows stay as they are:
 * the codec reads the texts of earlier versions too. The version is recorded so that an earlier
 * release, which would misread the new texts, refuses the file.
 */
function v5(): void {}

export const workflowMigrations: MigrationSet = {
  component: 'workflows',
  migrations: [
    { version: 1, description: 'state machines, executions, history, timers and pending tasks', up: v1 },
    { version: 2, description: 'history, timers and tasks keyed by the execution seq; definitions stored once', up: v2 },
    { version: 3, description: 'history in a rowid table keyed by exec * 2^20 + id: a step\'s events stay in the tree page, no overflow page per execution', up: v3 },
    { version: 4, description: 'history rows appended in write order, found by an (exec, id) index', up: v4 },
    { version: 5, description: 'history row texts in the engine\'s compact encoding; earlier texts stay readable', up: v5 },
  ],
};
