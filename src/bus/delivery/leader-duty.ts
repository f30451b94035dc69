/**
 * A singleton duty (the schedule service, the replay runner) that runs only while this node
 * leads (`Leadership` port): `lead` when this node becomes leader, `standDown` when it stops.
 * Without a leadership (embedded mode) the duty always leads and neither hook is ever called.
 *
 * Concurrency contract: hooks are called synchronously from the leadership's change, in order;
 * `standDown` only stops starting new work (cancels timers): the duty's `stop` awaits what is in
 * flight, and the duty checks `leading` between its steps so that a page or a tick in flight ends
 * early. After `close` no hook is called and `leading` is false.
 */
import type { Leadership } from '../../storage/index.ts';

export interface LeaderDuty {
  readonly leading: boolean;
  close(): void;
}

export function leaderDuty(leadership: Leadership | undefined, hooks: { lead(): void; standDown(): void }): LeaderDuty {
  let closed = false;
  if (leadership === undefined) {
    return {
      get leading() {
        return !closed;
      },
      close: () => void (closed = true),
    };
  }
  const off = leadership.onChange((leader) => {
    if (closed) return;
    if (leader) hooks.lead();
    else hooks.standDown();
  });
  return {
    get leading() {
      return !closed && leadership.isLeader;
    },
    close() {
      closed = true;
      off();
    },
  };
}
