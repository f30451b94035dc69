/**
 * A tiny client-side router over the History API: the path after `/console` picks the view
 * (the server answers index.html for every such path). `navigate` pushes, `useRoute` re-renders.
 */
import { useSyncExternalStore } from 'react';

export const BASE = '/console';
const CHANGE = 'console:navigate';

export interface Route {
  /** Path after /console, e.g. `/events/default/abc` (no trailing slash; `/` for the root). */
  readonly path: string;
  readonly segments: readonly string[];
  readonly query: URLSearchParams;
}

let cached: { key: string; route: Route } | undefined;

function snapshot(): Route {
  const key = location.pathname + location.search;
  if (cached?.key === key) return cached.route;
  const rest = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  const path = rest.replace(/\/+$/, '') || '/';
  const route = { path, segments: path.split('/').filter((s) => s !== '').map(decodeURIComponent), query: new URLSearchParams(location.search) };
  cached = { key, route };
  return route;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

export function useRoute(): Route {
  return useSyncExternalStore(subscribe, snapshot);
}

/** `to` is relative to /console (`/executions?machine=...`). */
export function navigate(to: string, replace = false): void {
  const url = `${BASE}${to.startsWith('/') ? to : `/${to}`}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  window.dispatchEvent(new Event(CHANGE));
}

/** `/console/<segments...>` with each segment encoded. */
export const pathOf = (...segments: readonly string[]): string => `/${segments.map(encodeURIComponent).join('/')}`;
