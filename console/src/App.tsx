/**
 * The console shell: login (or the credential this tab already holds, or `?apiKey=` / `?token=`
 * in the URL), then the navigation and the view the path names.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, ApiError, credentialFrom, loadCredential, saveCredential, useCredential, type Credential } from './api.ts';
import { Connections } from './Connections.tsx';
import { DeadLetters } from './DeadLetters.tsx';
import { EventStream } from './EventStream.tsx';
import { EventTrace } from './EventTrace.tsx';
import { ExecutionDetail } from './ExecutionDetail.tsx';
import { Executions } from './Executions.tsx';
import { Link } from './Link.tsx';
import { Login } from './Login.tsx';
import { PushSubscriptions } from './PushSubscriptions.tsx';
import { navigate, useRoute, type Route } from './router.ts';
import { Rules } from './Rules.tsx';
import type { SessionInfo } from './types.ts';

const TABS = [
  ['events', 'Events'],
  ['rules', 'Rules'],
  ['dead-letters', 'Dead letters'],
  ['executions', 'Executions'],
  ['connections', 'Connections'],
  ['push', 'Push'],
] as const;

/** A credential in the URL wins (and leaves the URL at once); else the one this tab kept. */
function initialCredential(): Credential | undefined {
  const params = new URLSearchParams(location.search);
  const given = params.get('apiKey') ?? params.get('token');
  if (given === null || given === '') return loadCredential();
  params.delete('apiKey');
  params.delete('token');
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest === '' ? '' : `?${rest}`}`);
  const credential = credentialFrom(given);
  saveCredential(credential);
  return credential;
}

function View(props: { readonly route: Route; readonly session: SessionInfo }) {
  const [first, second, third] = props.route.segments;
  switch (first) {
    case undefined:
    case 'events':
      if (second !== undefined && third !== undefined) return <EventTrace bus={second} eventId={third} />;
      return <EventStream />;
    case 'rules':
      return <Rules region={props.session.region} />;
    case 'dead-letters':
      return <DeadLetters />;
    case 'executions':
      return second !== undefined ? <ExecutionDetail executionArn={second} /> : <Executions />;
    case 'connections':
      return <Connections />;
    case 'push':
      return <PushSubscriptions />;
    default:
      return <p className="empty">No such page. Pick one above.</p>;
  }
}

export function App() {
  const [credential, setCredential] = useState<Credential | undefined>(initialCredential);
  const [session, setSession] = useState<SessionInfo | undefined>(undefined);
  const [loginError, setLoginError] = useState<unknown>(undefined);
  const route = useRoute();

  const logout = useCallback((error?: unknown) => {
    saveCredential(undefined);
    setCredential(undefined);
    setSession(undefined);
    setLoginError(error);
  }, []);
  useCredential(credential, () => logout(new ApiError(401, 'The server no longer accepts this credential: log in again.')));

  useEffect(() => {
    if (credential === undefined || session !== undefined) return;
    let stopped = false;
    api.session(credential).then(
      (s) => !stopped && setSession(s),
      (e: unknown) => !stopped && logout(e),
    );
    return () => {
      stopped = true;
    };
  }, [credential, session, logout]);

  useEffect(() => {
    if (route.path === '/') navigate('/events', true);
  }, [route.path]);

  if (credential === undefined) {
    return (
      <Login
        error={loginError}
        onLogin={(c, s) => {
          saveCredential(c);
          setCredential(c);
          setSession(s);
          setLoginError(undefined);
        }}
      />
    );
  }
  if (session === undefined) return <p className="muted loading">Checking the credential…</p>;

  const tab = route.segments[0] ?? 'events';
  return (
    <div className="shell">
      <header className="top">
        <div className="brand">
          Switchboard <span className="app-name">{session.app}</span>
        </div>
        <nav className="tabs">
          {TABS.map(([path, label]) => (
            <Link key={path} to={`/${path}`} className={tab === path ? 'active' : ''}>
              {label}
            </Link>
          ))}
        </nav>
        <div className="who">
          <span className="muted small" title={session.user ?? ''}>
            {session.authMode}
            {session.user !== null ? ` · ${session.user}` : ''}
          </span>
          <button type="button" onClick={() => logout()}>
            Log out
          </button>
        </div>
      </header>
      <main>
        <View route={route} session={session} />
      </main>
    </div>
  );
}
