/**
 * A stored history event as `GetExecutionHistory` sends it: `{timestamp, type, id,
 * previousEventId, <x>EventDetails}`, the details under AWS's member name (`stateEnteredEventDetails`
 * for every `...StateEntered`, `taskScheduledEventDetails` for `TaskScheduled`...), with `input`,
 * `output` and `parameters` as JSON text, as AWS sends them.
 */
import type { HistoryEvent } from '../asl/index.ts';

const TEXT_MEMBERS = ['input', 'output', 'parameters'] as const;

export function detailsMember(type: string): string {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

export function toWireEvent(e: HistoryEvent, includeData: boolean): object {
  const out: Record<string, unknown> = { timestamp: e.timestamp / 1000, type: e.type, id: e.id, previousEventId: e.previousEventId };
  if (e.details !== undefined) {
    const details: Record<string, unknown> = { ...e.details };
    for (const key of TEXT_MEMBERS) {
      if (!(key in details)) continue;
      if (!includeData) delete details[key];
      else if (typeof details[key] !== 'string') details[key] = JSON.stringify(details[key]);
      details[`${key}Details`] = { truncated: false };
    }
    out[detailsMember(e.type)] = details;
  }
  return out;
}
