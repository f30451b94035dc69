/**
 * The `Leadership` port: whether this node is, right now, the one node of the cluster that runs a
 * singleton duty (the schedule service, the replay runner). Embedded mode has one process, so it
 * is always the leader (`alwaysLeader`); cluster mode asks the database (`postgres/leadership.ts`).
 *
 * Guarantees every adapter gives:
 * - **At most one leader per name, as far as the backing service can tell.** Two nodes holding
 *   leadership of one name at once is prevented by the service; but a leader learns that it lost
 *   leadership only when it notices (a dropped connection), so for a short window an old leader's
 *   work in flight may overlap with the new leader's. Duties must therefore stay safe when run
 *   twice for a moment (idempotent ids, compare-and-set, at-least-once).
 * - **Loss is reported at once.** When the adapter stops being sure it leads (its connection to
 *   the service dropped), `isLeader` turns false and listeners hear `false` before it tries again.
 * - Listeners are called synchronously, with the new value, only on a change; a listener must
 *   not throw (what it throws is swallowed). `onChange` answers the unsubscribe function.
 * - `close` gives leadership up (if held) and stops trying; listeners hear `false` if it was held.
 */

export interface Leadership {
  readonly isLeader: boolean;
  onChange(listener: (leader: boolean) => void): () => void;
  close(): Promise<void>;
}

/** Embedded mode: the only process leads, for ever; `close` changes nothing. */
export function alwaysLeader(): Leadership {
  return {
    isLeader: true,
    onChange: () => () => undefined,
    close: () => Promise.resolve(),
  };
}
