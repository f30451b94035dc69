/**
 * Login: an API key of the app, or a JWT it accepts (a dev token from `POST /auth/dev-token`, a
 * user-pool or OIDC token). The server checks it with the app's own authenticator.
 */
import { useState, type FormEvent } from 'react';
import { api, credentialFrom, type Credential } from './api.ts';
import { ErrorNote } from './ErrorNote.tsx';
import type { SessionInfo } from './types.ts';

export function Login(props: { readonly onLogin: (credential: Credential, session: SessionInfo) => void; readonly error?: unknown }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(props.error);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (text.trim() === '') return;
    const credential = credentialFrom(text);
    setBusy(true);
    try {
      props.onLogin(credential, await api.session(credential));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="login">
      <form onSubmit={(e) => void submit(e)}>
        <h1>Switchboard console</h1>
        <label htmlFor="credential">API key or JWT</label>
        <input id="credential" name="credential" autoComplete="off" spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} placeholder="da2-… or eyJ…" autoFocus />
        <p className="hint">
          Paste an API key of the app (the server prints it at start, with a console link that logs in), or a JWT the app accepts: a dev token from <code>POST /auth/dev-token</code>, or a
          user-pool or OIDC token. It is kept in this tab only (sessionStorage).
        </p>
        <ErrorNote error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Checking…' : 'Log in'}
        </button>
      </form>
    </div>
  );
}
