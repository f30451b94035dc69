/**
 * Time is injected. Production code reads the time and schedules timers through a `Clock`, so Wait
 * states, retries, expiries and keep-alives are tested on a `VirtualClock` without sleeping.
 */
export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` milliseconds; the returned handle cancels it. Never keeps the process alive. */
  setTimer(ms: number, fn: () => void): Timer;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref();
    return { cancel: () => clearTimeout(handle) };
  },
};

interface PendingTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that only moves when told to. Concurrency contract: single-threaded; `advance` runs due
 * timers in time order (ties in creation order), each after the clock has been set to its due time.
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: PendingTimer[] = [];

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => void): Timer {
    const timer: PendingTimer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn, cancelled: false };
    this.#timers.push(timer);
    return { cancel: () => void (timer.cancelled = true) };
  }

  /** Moves time forward by `ms`, running every timer that falls due, and lets their promises settle. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (next === undefined) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = next.at;
      next.fn();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  #nextDue(limit: number): PendingTimer | undefined {
    let best: PendingTimer | undefined;
    for (const t of this.#timers) {
      if (t.cancelled || t.at > limit) continue;
      if (best === undefined || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    this.#timers = this.#timers.filter((t) => !t.cancelled || t === best);
    return best;
  }
}

async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** What `beforeDeadline` answers when the time ran out first. */
export const TIMED_OUT: unique symbol = Symbol('timed out');

/**
 * `pending`'s value, or `TIMED_OUT` once `ms` have passed on `clock`, whichever comes first; a
 * rejection of `pending` in time rejects. The timer is cancelled when `pending` settles, and what
 * `pending` answers or throws after the deadline is dropped (never an unhandled rejection). For
 * work that cannot be stopped (an app's function running in process): only the wait ends.
 */
export async function beforeDeadline<T>(pending: Promise<T>, clock: Clock, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: Timer | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = clock.setTimer(ms, () => resolve(TIMED_OUT));
  });
  try {
    return await Promise.race([pending, timedOut]);
  } finally {
    timer?.cancel();
  }
}
