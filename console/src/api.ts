/**
 * The console's calls to its server: the credential (an API key or a JWT, kept in sessionStorage)
 * on every request, JSON in and out, `{message}` / `{__type, message}` errors as `ApiError`.
 */
import type { ConnectionsView, PushView, SessionInfo, StreamPage } from './types.ts';

export interface Credential {
  readonly kind: 'apiKey' | 'jwt';
  readonly value: string;
}

const STORAGE_KEY = 'switchboard.console.credential';
const BASE = '/console/api';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly type?: string,
  ) {
    super(message);
  }
}

/** A JWT is three base64url parts (a `Bearer ` prefix is fine); anything else is an API key. */
export function credentialFrom(text: string): Credential {
  const value = text.trim();
  const token = value.replace(/^Bearer\s+/i, '');
  return /^[\w-]+\.[\w-]+\.[\w-]*$/.test(token) ? { kind: 'jwt', value: token } : { kind: 'apiKey', value };
}

export function loadCredential(): Credential | undefined {
  try {
    const stored = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Credential | null;
    return stored !== null && (stored.kind === 'apiKey' || stored.kind === 'jwt') && typeof stored.value === 'string' ? stored : undefined;
  } catch {
    return undefined;
  }
}

export function saveCredential(credential: Credential | undefined): void {
  if (credential === undefined) sessionStorage.removeItem(STORAGE_KEY);
  else sessionStorage.setItem(STORAGE_KEY, JSON.stringify(credential));
}

let current: Credential | undefined = loadCredential();
let onUnauthorized: () => void = () => undefined;

export function useCredential(credential: Credential | undefined, unauthorized: () => void): void {
  current = credential;
  onUnauthorized = unauthorized;
}

function headers(credential: Credential | undefined): Record<string, string> {
  if (credential === undefined) return {};
  return credential.kind === 'apiKey' ? { 'x-api-key': credential.value } : { authorization: `Bearer ${credential.value}` };
}

async function request<T>(path: string, init: RequestInit = {}, credential = current): Promise<T> {
  const res = await fetch(`${BASE}${path}`, { ...init, headers: { ...headers(credential), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) } });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? {} : JSON.parse(text);
  } catch {
    body = { message: text };
  }
  if (!res.ok) {
    const e = body as { message?: unknown; __type?: unknown };
    if (res.status === 401 && credential === current) onUnauthorized();
    throw new ApiError(res.status, typeof e.message === 'string' ? e.message : `HTTP ${res.status}`, typeof e.__type === 'string' ? e.__type : undefined);
  }
  return body as T;
}

export const api = {
  /** Checks a credential (before it is stored). */
  session: (credential?: Credential) => request<SessionInfo>('/session', {}, credential ?? current),
  events: (cursor: string | undefined, limit = 100) => request<StreamPage>(`/events?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`),
  connections: () => request<ConnectionsView>('/connections'),
  push: () => request<PushView>('/push'),
  /** A bus (`events`) or Step Functions (`states`) operation, as `POST /` would run it. */
  call: <T>(service: 'events' | 'states', target: string, input: object = {}) => request<T>('/call', { method: 'POST', body: JSON.stringify({ service, target, input }) }),
};

export const events = <T,>(operation: string, input: object = {}) => api.call<T>('events', operation.includes('.') ? operation : `AWSEvents.${operation}`, input);
export const switchboardEvents = <T,>(operation: string, input: object = {}) => api.call<T>('events', `SwitchboardEvents.${operation}`, input);
export const states = <T,>(operation: string, input: object = {}) => api.call<T>('states', `AWSStepFunctions.${operation}`, input);
