/**
 * What happened to one event: every rule of its bus (matched or not, and the first field that
 * failed), for each matched rule its targets' inputs, attempts and outcomes, and whether a
 * delivery is still pending (`SwitchboardEvents.GetEventTrace`). Refreshes while deliveries run.
 */
import { switchboardEvents } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { dateTime } from './format.ts';
import { JsonBlock } from './JsonBlock.tsx';
import { Link } from './Link.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import type { EventTrace as Trace, TargetTrace } from './types.ts';
import { usePolling } from './usePolling.ts';

function TargetBlock(props: { readonly target: TargetTrace; readonly eventId: string }) {
  const t = props.target;
  const machine = /^arn:aws:states:[^:]*:[^:]*:stateMachine:/.test(t.arn) ? t.arn : undefined;
  return (
    <div className="target" data-target-id={t.id}>
      <div className="target-head">
        <span className="strong">{t.id}</span> <span className="mono muted">{t.arn}</span> {t.pending && <StatusBadge status="pending" />}
        {machine !== undefined && (
          <Link to={`/executions?machine=${encodeURIComponent(machine)}&event=${encodeURIComponent(props.eventId)}`} className="small-link">
            executions →
          </Link>
        )}
      </div>
      <JsonBlock label="input" value={t.input ?? '(the transformed input is not JSON: nothing is sent)'} />
      {t.attempts.length === 0 ? (
        <p className="muted">{t.pending ? 'Delivery pending, no attempt yet.' : 'No attempt recorded.'}</p>
      ) : (
        <table className="attempts">
          <thead>
            <tr>
              <th>#</th>
              <th>At</th>
              <th>Outcome</th>
              <th>Code</th>
              <th>Message</th>
            </tr>
          </thead>
          <tbody>
            {t.attempts.map((a, i) => (
              <tr key={i}>
                <td>{a.attempt}</td>
                <td className="nowrap">{dateTime(a.at)}</td>
                <td>
                  <StatusBadge status={a.outcome} />
                </td>
                <td>{a.code ?? ''}</td>
                <td>{a.message ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function EventTrace(props: { readonly bus: string; readonly eventId: string }) {
  const trace = usePolling(() => switchboardEvents<Trace>('GetEventTrace', { EventId: props.eventId, EventBusName: props.bus }), 2000, [props.bus, props.eventId]);
  const t = trace.value;
  return (
    <section className="trace">
      <header className="view-header">
        <h2>
          Trace of <span className="mono">{props.eventId}</span>
        </h2>
        <div className="toolbar">
          <Link to="/events">← events</Link>
        </div>
      </header>
      <ErrorNote error={trace.error} />
      {t === undefined ? (
        trace.loading && <p className="muted">Loading…</p>
      ) : (
        <>
          <p>
            Bus <strong>{t.bus}</strong>, received {dateTime(t.receivedAt)}: <strong>{String(t.event['source'])}</strong> / <strong>{String(t.event['detail-type'])}</strong>
          </p>
          <JsonBlock label="event" value={t.event} />
          <h3>Rules</h3>
          {t.rules.length === 0 && <p className="empty">The bus has no rules.</p>}
          <ul className="rules-trace">
            {t.rules.map((r) => (
              <li key={r.name} className={r.matched ? 'matched' : 'unmatched'} data-rule={r.name} data-matched={String(r.matched)}>
                <div className="rule-head">
                  <span className={`mark ${r.matched ? 'yes' : 'no'}`}>{r.matched ? '✓' : '✗'}</span> <span className="strong">{r.name}</span> <StatusBadge status={r.state} />
                  {!r.matched && r.failedField !== undefined && <span className="muted"> did not match on {r.failedField}</span>}
                </div>
                {r.targets?.map((target) => <TargetBlock key={target.id} target={target} eventId={t.eventId} />)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
