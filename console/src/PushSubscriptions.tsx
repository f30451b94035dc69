/** Web Push subscriptions (who, which push service, since when, the orders followed). */
import { api } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { dateTime } from './format.ts';
import { usePolling } from './usePolling.ts';

export function PushSubscriptions() {
  const view = usePolling(() => api.push(), 5000, []);
  const v = view.value;
  return (
    <section>
      <header className="view-header">
        <h2>Push subscriptions</h2>
        {v?.configured === true && <span className="muted">{v.total} in all</span>}
      </header>
      <ErrorNote error={view.error} />
      {v !== undefined && !v.configured && <p className="empty">Push is not configured for this app (no <code>push</code> section in its config).</p>}
      {v?.configured === true && v.subscriptions.length === 0 && <p className="empty">No browser has subscribed yet.</p>}
      {v?.configured === true && v.subscriptions.length > 0 && (
        <table>
          <thead>
            <tr>
              <th>Id</th>
              <th>User</th>
              <th>Push service</th>
              <th>Created</th>
              <th>Orders followed</th>
            </tr>
          </thead>
          <tbody>
            {v.subscriptions.map((s) => (
              <tr key={s.id} data-subscription={s.id}>
                <td className="mono small">{s.id}</td>
                <td>{s.userId ?? <span className="muted">anonymous</span>}</td>
                <td className="mono">{s.endpointOrigin}</td>
                <td className="nowrap">{dateTime(s.createdAt)}</td>
                <td>
                  {s.orders.length === 0 ? (
                    <span className="muted">none</span>
                  ) : (
                    s.orders.map((o) => (
                      <span key={o} className="chip">
                        {o}
                      </span>
                    ))
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
