/**
 * Counts the work an engine has started (steps, tasks, timer sweeps) so that `settle` and `stop`
 * can wait for all of it. A counter rather than a set of promises: it is touched on every step.
 *
 * Concurrency contract: single-threaded; `idle()` resolves the first time the count is zero after
 * the call (at once when nothing is in flight), including work started while waiting.
 */
export class InFlight {
  #count = 0;
  #idle: (() => void)[] = [];
  readonly #done = (): void => {
    if (--this.#count === 0) {
      const waiting = this.#idle;
      this.#idle = [];
      for (const resolve of waiting) resolve();
    }
  };

  get size(): number {
    return this.#count;
  }

  /** One piece of work started; the caller calls `leave()` exactly once when it ends (no promise needed). */
  enter(): void {
    this.#count++;
  }

  leave(): void {
    this.#done();
  }

  track<T>(work: Promise<T>): Promise<T> {
    this.#count++;
    work.then(this.#done, this.#done);
    return work;
  }

  idle(): Promise<void> {
    return this.#count === 0 ? Promise.resolve() : new Promise((resolve) => this.#idle.push(resolve));
  }
}
