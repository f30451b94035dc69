/**
 * The app's pages at `/` (the folder its config names in `site`) and the browser client they use
 * at `/sdk/switchboard.js`. An app without `site` gets a small built-in page pointing at its
 * endpoints. Pages are read on each request, so `switchboard dev` serves edits at once.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { AppServices } from './app-services.ts';
import type { HttpResponse, Route } from './http-server.ts';
import { serveFromFolder } from './static-files.ts';

const SDK_DIR = fileURLToPath(new URL('../browser/', import.meta.url));

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function landingPage(services: AppServices): HttpResponse {
  const app = services.app;
  const links = [
    ['/graphql', 'GraphQL endpoint (POST; WebSocket subscriptions on the same path)'],
    ['/console/', 'Console: events, rules, traces, dead letters, executions, connections'],
    ...(app.push !== undefined ? [['/push/', 'Web Push page']] : []),
    ['/healthz', 'Health'],
    ['/metrics', 'Prometheus metrics'],
  ];
  const items = links.map(([href, text]) => `<li><a href="${href}">${escapeHtml(href ?? '')}</a>: ${escapeHtml(text ?? '')}</li>`).join('');
  const body = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(app.name)} · Switchboard</title></head><body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto"><h1>${escapeHtml(app.name)}</h1><p>This app declares no pages (<code>site</code> in switchboard.config.ts).</p><ul>${items}</ul></body></html>`;
  return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' }, body };
}

/** `127.0.0.1:4000` → `127.0.0.1`, `[::1]:4000` → `[::1]`. */
function hostnameOf(host: string): string {
  return host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : (host.split(':')[0] ?? host);
}

export function siteRoutes(deps: { readonly services: () => AppServices }): Route[] {
  const sdk = readFileSync(`${SDK_DIR}switchboard-client.js`, 'utf8');
  return [
    {
      method: 'GET',
      path: '/sdk/switchboard.js',
      cors: true,
      handler: () => ({ status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-cache' }, body: sdk }),
    },
    {
      // What a page needs to know about the app it is served by: its region and, for an app with
      // regional deployments, where the others listen (same host name as this request, their port).
      method: 'GET',
      path: '/sdk/app.json',
      cors: true,
      handler: (req) => {
        const app = deps.services().app;
        const hostname = hostnameOf(req.headers['host'] ?? '127.0.0.1');
        const regions = Object.fromEntries(
          Object.entries(app.regions).map(([name, r]) => [name, { region: r.region, ...(r.port !== undefined ? { url: `http://${hostname}:${r.port}` } : {}) }]),
        );
        return { status: 200, headers: { 'content-type': 'application/json; charset=UTF-8', 'cache-control': 'no-cache' }, body: JSON.stringify({ name: app.name, region: app.region, regions }) };
      },
    },
    {
      method: 'GET',
      path: '/*',
      handler: (req) => {
        const site = deps.services().app.site;
        if (site === undefined) return req.path === '/' ? landingPage(deps.services()) : { status: 404, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: JSON.stringify({ message: 'Not Found' }) };
        return serveFromFolder(site, req.path.slice(1));
      },
    },
  ];
}
