/** An execution's history events (GetExecutionHistory): id, time since start, type, state, details. */
import { compact, pretty } from './format.ts';
import type { HistoryEvent } from './types.ts';

const BASE_KEYS = new Set(['id', 'previousEventId', 'timestamp', 'type']);

/** input, output and parameters arrive as JSON text: shown as the values they are. */
function readable(value: unknown): unknown {
  if (typeof value !== 'string' || !/^[[{]/.test(value)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function detailsOf(e: HistoryEvent): Record<string, unknown> | undefined {
  const key = Object.keys(e).find((k) => !BASE_KEYS.has(k) && k.endsWith('EventDetails'));
  return key === undefined ? undefined : (e[key] as Record<string, unknown>);
}

export function HistoryTable(props: { readonly events: readonly HistoryEvent[] }) {
  const start = props.events[0]?.timestamp ?? 0;
  return (
    <table className="history">
      <thead>
        <tr>
          <th>#</th>
          <th>+ms</th>
          <th>Type</th>
          <th>State</th>
          <th>Details</th>
        </tr>
      </thead>
      <tbody>
        {props.events.map((e) => {
          const details = detailsOf(e);
          const name = typeof details?.['name'] === 'string' ? details['name'] : '';
          const rest = details === undefined ? undefined : Object.fromEntries(Object.entries(details).filter(([k]) => k !== 'name' && !k.endsWith('Details')).map(([k, v]) => [k, readable(v)]));
          return (
            <tr key={e.id} data-history-type={e.type} className={/Failed|TimedOut|Aborted/.test(e.type) ? 'bad' : ''}>
              <td>{e.id}</td>
              <td className="num">{Math.round((e.timestamp - start) * 1000)}</td>
              <td className="strong">{e.type}</td>
              <td>{name}</td>
              <td className="mono small">
                {rest !== undefined && Object.keys(rest).length > 0 && (
                  <details>
                    <summary>{compact(rest, 100)}</summary>
                    <pre>{pretty(rest)}</pre>
                  </details>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
