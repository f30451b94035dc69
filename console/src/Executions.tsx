/**
 * State machines and their executions (newest first, status, start and stop). `?event=<id>`
 * (from a trace) highlights the executions a delivery of that event started: their names begin
 * with the event id.
 */
import { states } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { fromEpochSeconds } from './format.ts';
import { Link } from './Link.tsx';
import { navigate, pathOf, useRoute } from './router.ts';
import { StatusBadge } from './StatusBadge.tsx';
import type { ExecutionItem, StateMachineItem } from './types.ts';
import { usePolling } from './usePolling.ts';

async function listExecutions(machineArn: string): Promise<ExecutionItem[]> {
  const r = await states<{ executions: ExecutionItem[] }>('ListExecutions', { stateMachineArn: machineArn, maxResults: 200 });
  return [...r.executions].sort((a, b) => b.startDate - a.startDate);
}

export function Executions() {
  const route = useRoute();
  const machines = usePolling(async () => (await states<{ stateMachines: StateMachineItem[] }>('ListStateMachines', { maxResults: 1000 })).stateMachines, 10_000, []);
  const selected = route.query.get('machine') ?? machines.value?.[0]?.stateMachineArn;
  const eventId = route.query.get('event');
  const executions = usePolling(() => (selected === undefined ? Promise.resolve([]) : listExecutions(selected)), 2000, [selected]);
  const prefix = eventId?.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 60);

  return (
    <section>
      <header className="view-header">
        <h2>Workflow executions</h2>
      </header>
      <ErrorNote error={machines.error} />
      {machines.value?.length === 0 && <p className="empty">The app has no state machines.</p>}
      <div className="split">
        <nav className="machines" aria-label="State machines">
          {machines.value?.map((m) => (
            <button
              type="button"
              key={m.stateMachineArn}
              className={m.stateMachineArn === selected ? 'selected' : ''}
              onClick={() => navigate(`/executions?machine=${encodeURIComponent(m.stateMachineArn)}`)}
              data-machine={m.name}
            >
              <span className="strong">{m.name}</span>
              <span className="muted small">{m.type}</span>
            </button>
          ))}
        </nav>
        <div className="grow">
          <ErrorNote error={executions.error} />
          {executions.value?.length === 0 && <p className="empty">No executions yet.</p>}
          {executions.value !== undefined && executions.value.length > 0 && (
            <table className="executions">
              <thead>
                <tr>
                  <th>Name</th>
                  <th>Status</th>
                  <th>Started</th>
                  <th>Stopped</th>
                </tr>
              </thead>
              <tbody>
                {executions.value.map((e) => (
                  <tr key={e.executionArn} className={prefix !== undefined && e.name.startsWith(prefix) ? 'highlight' : ''} data-execution={e.name} data-status={e.status}>
                    <td className="mono">
                      <Link to={pathOf('executions', e.executionArn)}>{e.name}</Link>
                    </td>
                    <td>
                      <StatusBadge status={e.status} />
                    </td>
                    <td className="nowrap">{fromEpochSeconds(e.startDate)}</td>
                    <td className="nowrap">{fromEpochSeconds(e.stopDate)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
