/**
 * The live event stream: every bus's events as they are appended, newest first, read from the
 * event log about once a second with a cursor per bus. Pause stops reading; a click opens the
 * event's trace.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import { clockTime, compact } from './format.ts';
import { navigate, pathOf } from './router.ts';
import type { StreamEvent } from './types.ts';

const KEEP = 500;
const INTERVAL_MS = 1000;

export function EventStream() {
  const [events, setEvents] = useState<readonly StreamEvent[]>([]);
  const [buses, setBuses] = useState<readonly string[]>([]);
  const [paused, setPaused] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [filter, setFilter] = useState('');
  const [bus, setBus] = useState('');
  const cursor = useRef<string | undefined>(undefined);

  useEffect(() => {
    if (paused) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async (): Promise<void> => {
      let again = INTERVAL_MS;
      try {
        const page = await api.events(cursor.current);
        if (stopped) return;
        cursor.current = page.cursor;
        setBuses(page.buses);
        if (page.events.length > 0) setEvents((old) => [...page.events, ...old].slice(0, KEEP));
        setError(undefined);
        if (page.more) again = 0;
      } catch (e) {
        if (!stopped) setError(e);
      }
      if (!stopped) timer = setTimeout(() => void poll(), again);
    };
    void poll();
    return () => {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [paused]);

  const shown = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    return events.filter((e) => (bus === '' || e.bus === bus) && (needle === '' || `${e.source} ${e.detailType} ${e.id} ${JSON.stringify(e.detail)}`.toLowerCase().includes(needle)));
  }, [events, filter, bus]);

  return (
    <section>
      <header className="view-header">
        <h2>Event stream</h2>
        <div className="toolbar">
          <select value={bus} onChange={(e) => setBus(e.target.value)} aria-label="Bus">
            <option value="">all buses</option>
            {buses.map((b) => (
              <option key={b} value={b}>
                {b}
              </option>
            ))}
          </select>
          <input type="search" placeholder="filter (source, detail-type, id, detail)" value={filter} onChange={(e) => setFilter(e.target.value)} />
          <button type="button" onClick={() => setPaused((p) => !p)} className={paused ? 'primary' : ''}>
            {paused ? 'Resume' : 'Pause'}
          </button>
          <span className={`live ${paused ? 'off' : 'on'}`}>{paused ? 'paused' : 'live'}</span>
        </div>
      </header>
      <ErrorNote error={error} />
      {shown.length === 0 ? (
        <p className="empty">{events.length === 0 ? 'No events yet. Put one on a bus (a mutation with an EVENT_BUS data source, PutEvents…) and it shows here.' : 'No event matches the filter.'}</p>
      ) : (
        <table className="events clickable">
          <thead>
            <tr>
              <th>Received</th>
              <th>Bus</th>
              <th>Source</th>
              <th>Detail type</th>
              <th>Id</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => (
              <tr key={`${e.bus}/${e.offset}`} data-event-id={e.id} data-detail-type={e.detailType} onClick={() => navigate(pathOf('events', e.bus, e.id))} title="Open the trace">
                <td className="nowrap">{clockTime(e.receivedAt)}</td>
                <td>{e.bus}</td>
                <td>{e.source}</td>
                <td className="strong">{e.detailType}</td>
                <td className="mono">{e.id}</td>
                <td className="mono detail">{compact(e.detail, 140)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
