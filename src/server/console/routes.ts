/**
 * The console's routes: the page itself (`/console/`, from console/dist) and its JSON API under
 * `/console/api/`, every call of which is authenticated with the app's own credentials (auth.ts).
 *
 *   GET  /console/api/session       who is logged in, the app, what it has (push, workflows)
 *   GET  /console/api/events        ?cursor=&limit=  the live event stream (event-stream.ts)
 *   POST /console/api/call          {service, target, input}: an allowed bus / Step Functions operation
 *   GET  /console/api/connections   open WebSockets and their subscriptions, per protocol
 *   GET  /console/api/push          Web Push subscriptions, when the app configures push
 */
import type { Clock, Logger } from '../../core/index.ts';
import { createBusApi } from '../../bus/index.ts';
import type { BusStore, DeliveryJob, EventLog, PushStore } from '../../storage/index.ts';
import type { SfnApi } from '../../workflows/index.ts';
import type { AppServices } from '../app-services.ts';
import type { HttpRequest, HttpResponse, Route } from '../http-server.ts';
import type { WebSocketHandler } from '../websocket.ts';
import { authenticateConsole, type ConsoleCaller } from './auth.ts';
import { consoleDistDir, ensureConsoleBuilt } from './console-build.ts';
import { connectionsView } from './connections.ts';
import { MAX_STREAM_LIMIT, readEventStream } from './event-stream.ts';
import { callOperation } from './operation-call.ts';
import { pushView } from './push-subscriptions.ts';
import { failure, json } from './responses.ts';
import { serveConsoleFile } from './static-files.ts';

const ACCOUNT = '000000000000';

export interface ConsoleDeps {
  /** The app currently served (swapped by `switchboard dev` reloads). */
  readonly services: () => AppServices;
  readonly store: BusStore;
  readonly eventLog: EventLog;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Hands redriven dead letters to the running delivery. */
  readonly schedule?: (jobs: readonly DeliveryJob[]) => void;
  readonly workflows?: SfnApi;
  readonly websockets: Pick<WebSocketHandler, 'connections'>;
  readonly push?: { readonly store: PushStore };
  /** Where the built page is; default console/dist (built when missing or stale). */
  readonly distDir?: string;
}

export function consoleRoutes(deps: ConsoleDeps): Route[] {
  const bus = createBusApi({ store: deps.store, eventLog: deps.eventLog, clock: deps.clock, ...(deps.schedule !== undefined ? { schedule: deps.schedule } : {}) });
  const callDeps = { bus, workflows: deps.workflows, caller: () => ({ accountId: ACCOUNT, region: deps.services().app.region }), logger: deps.logger };

  /** An API route: the console's auth check, then `run`. */
  const api = (method: string, path: string, run: (req: HttpRequest, caller: ConsoleCaller) => Promise<HttpResponse>, quiet = false): Route => ({
    method,
    path,
    quiet,
    maxBodyBytes: 512 * 1024,
    handler: async (req) => {
      const caller = await authenticateConsole(deps.services(), req);
      if ('status' in caller) return caller;
      return run(req, caller);
    },
  });

  const page = async (req: HttpRequest): Promise<HttpResponse> => {
    if (req.path.startsWith('/console/api/')) return failure(404, `No console API at ${req.path}.`);
    let dist = deps.distDir;
    if (dist === undefined) {
      try {
        // The page itself is checked for staleness (a few stats); its hashed assets never are.
        if (!req.path.startsWith('/console/assets/')) await ensureConsoleBuilt(deps.logger);
        dist = await consoleDistDir();
      } catch (error) {
        deps.logger.log('error', 'console build failed', { error });
        return failure(503, 'The console could not be built; see the server log (or run node scripts/build-console.mjs).');
      }
    }
    return serveConsoleFile(dist, req.path.slice('/console/'.length));
  };

  return [
    {
      method: ['GET', 'HEAD'],
      path: '/console',
      // The query string goes along: `/console?apiKey=...` logs in.
      handler: (req) => ({ status: 308, headers: { location: `/console/${req.rawPath.slice(req.path.length)}` }, body: '' }),
    },
    { method: ['GET', 'HEAD'], path: '/console/*', handler: page },
    api('GET', '/console/api/session', async (_req, caller) => {
      const app = deps.services().app;
      return json(200, { app: app.name, region: app.region, authMode: caller.mode, user: caller.user, push: app.push !== undefined, workflows: deps.workflows !== undefined });
    }),
    api(
      'GET',
      '/console/api/events',
      async (req) => {
        const limit = Math.min(Math.max(Number(req.searchParams.get('limit') ?? 100) || 100, 1), MAX_STREAM_LIMIT);
        return json(200, await readEventStream(deps, req.searchParams.get('cursor'), limit));
      },
      true,
    ),
    api('POST', '/console/api/call', (req) => callOperation(callDeps, req.body)),
    api('GET', '/console/api/connections', async () => json(200, connectionsView(deps.websockets.connections())), true),
    api('GET', '/console/api/push', async () => json(200, await pushView(deps.push?.store, deps.services().app.push !== undefined)), true),
  ];
}
