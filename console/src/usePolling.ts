/**
 * Runs `load` now and then every `intervalMs` (never overlapping: the next run is scheduled when
 * the previous one settles), while `active`. Returns the last value, the last error and a reload.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  reload(): void;
}

export function usePolling<T>(load: () => Promise<T>, intervalMs: number | undefined, deps: readonly unknown[], active = true): Polled<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = async (): Promise<void> => {
      try {
        const next = await loadRef.current();
        if (stopped) return;
        setValue(next);
        setError(undefined);
      } catch (e) {
        if (!stopped) setError(e);
      } finally {
        if (!stopped) {
          setLoading(false);
          if (intervalMs !== undefined && active) timer = setTimeout(() => void run(), intervalMs);
        }
      }
    };
    void run();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [...deps, tick, intervalMs, active]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { value, error, loading, reload };
}
