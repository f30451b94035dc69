/**
 * Live WebSocket connections and their subscriptions, per protocol: AppSync's realtime dialect
 * (`graphql-ws` subprotocol) and `graphql-transport-ws`. Refreshed every two seconds.
 */
import { api } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { dateTime } from './format.ts';
import { usePolling } from './usePolling.ts';

export function Connections() {
  const view = usePolling(() => api.connections(), 2000, []);
  const v = view.value;
  return (
    <section>
      <header className="view-header">
        <h2>Live connections</h2>
      </header>
      <ErrorNote error={view.error} />
      {v !== undefined && (
        <>
          <div className="stats">
            <div className="stat" data-stat="total">
              <div className="stat-value">{v.total}</div>
              <div className="stat-label">connections</div>
            </div>
            <div className="stat">
              <div className="stat-value">{v.subscriptions}</div>
              <div className="stat-label">subscriptions</div>
            </div>
            {Object.entries(v.byProtocol).map(([key, p]) => (
              <div className="stat" key={key} data-protocol={key}>
                <div className="stat-value">
                  {p.connections} <span className="small muted">/ {p.subscriptions} subs</span>
                </div>
                <div className="stat-label">{p.label}</div>
              </div>
            ))}
          </div>
          {v.connections.length === 0 ? (
            <p className="empty">No WebSocket is open.</p>
          ) : (
            <table className="connections">
              <thead>
                <tr>
                  <th>Connection</th>
                  <th>Protocol</th>
                  <th>Auth</th>
                  <th>Connected since</th>
                  <th>From</th>
                  <th>Subscriptions</th>
                </tr>
              </thead>
              <tbody>
                {v.connections.map((c) => (
                  <tr key={c.id} data-connection={c.id} data-protocol={c.subprotocol}>
                    <td className="mono">{c.id}</td>
                    <td>{c.subprotocol}</td>
                    <td>{c.authMode ?? <span className="muted">not yet</span>}</td>
                    <td className="nowrap">{dateTime(c.connectedAt)}</td>
                    <td className="mono">{c.sourceIp}</td>
                    <td>
                      {c.subscriptions.length === 0 ? (
                        <span className="muted">none</span>
                      ) : (
                        c.subscriptions.map((s) => (
                          <span key={s.id} className="chip" title={`id ${s.id}`}>
                            {s.field}
                          </span>
                        ))
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
