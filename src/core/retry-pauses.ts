/**
 * Work that must not be dropped while the process runs (a workflow task's outcome whose commit
 * failed, a bus delivery's outcome the store did not take), tried until it succeeds: `persist`
 * pauses between attempts, from 250 ms doubling to 10 s, on the owner's clock. `wakeAll` ends
 * every pause at once: the owner calls it when it stops, so that its `stop` (which waits for the
 * work in flight) never waits for a backoff, nor forever on a virtual clock nobody moves.
 *
 * Concurrency contract: single-threaded; a pause resolves exactly once, by its timer or by
 * `wakeAll`, and its timer is cancelled either way.
 */
import type { Clock, Timer } from './clock.ts';

const FIRST_PAUSE_MS = 250;
const MAX_PAUSE_MS = 10_000;

export class RetryPauses {
  readonly #clock: Clock;
  readonly #waiting = new Set<() => void>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: Timer | undefined;
      const end = (): void => {
        if (!this.#waiting.delete(end)) return;
        timer?.cancel();
        resolve();
      };
      this.#waiting.add(end);
      timer = this.#clock.setTimer(ms, end);
    });
  }

  /**
   * Runs `work` until it resolves (true), pausing between attempts. After a failure, and after
   * each pause, a `stopped()` owner gives up (false). `failed` hears of each failure with the
   * pause that follows it, or with undefined when it is the last.
   */
  async persist(work: () => Promise<unknown>, stopped: () => boolean, failed: (error: unknown, retryInMs: number | undefined) => void): Promise<boolean> {
    for (let wait = FIRST_PAUSE_MS; ; wait = Math.min(wait * 2, MAX_PAUSE_MS)) {
      try {
        await work();
        return true;
      } catch (error) {
        if (stopped()) {
          failed(error, undefined);
          return false;
        }
        failed(error, wait);
      }
      await this.pause(wait);
      if (stopped()) return false;
    }
  }

  wakeAll(): void {
    for (const end of [...this.#waiting]) end();
  }
}
