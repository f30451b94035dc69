/**
 * Pauses between the attempts of work that must not be dropped while the process runs (a
 * workflow task's outcome whose commit failed, a bus delivery's outcome the store did not take),
 * on the owner's clock. `wakeAll` ends every pause at once: the owner calls it when it stops, so
 * that its `stop` (which waits for the work in flight) never waits for a backoff, nor forever on a
 * virtual clock nobody moves.
 *
 * Concurrency contract: single-threaded; a pause resolves exactly once, by its timer or by
 * `wakeAll`, and its timer is cancelled either way.
 */
import type { Clock, Timer } from './clock.ts';

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

  wakeAll(): void {
    for (const end of [...this.#waiting]) end();
  }
}
