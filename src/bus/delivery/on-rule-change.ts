/**
 * A `BusStore` that calls `onChange()` once a write that can change which schedule rules exist
 * (rules, their state, their targets, buses) is committed, so the schedule service re-arms at
 * once. Both bus API instances (the HTTP route and the config sync) write through the one store
 * the server builds, so wrapping it catches them all.
 */
import type { BusStore } from '../../storage/index.ts';

export function onRuleChange(store: BusStore, onChange: () => void): BusStore {
  const after = <A extends unknown[], R>(fn: (...args: A) => Promise<R>) => async (...args: A): Promise<R> => {
    const result = await fn(...args);
    onChange();
    return result;
  };
  return Object.assign(Object.create(store) as BusStore, {
    putRule: after(store.putRule.bind(store)),
    deleteRule: after(store.deleteRule.bind(store)),
    setRuleState: after(store.setRuleState.bind(store)),
    putTargets: after(store.putTargets.bind(store)),
    removeTargets: after(store.removeTargets.bind(store)),
    deleteBus: after(store.deleteBus.bind(store)),
  });
}
