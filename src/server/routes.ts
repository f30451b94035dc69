/**
 * The route table: which handler serves which path. Handlers here are thin adapters from
 * `HttpRequest` to the domains' transport-neutral entry points.
 */
import type { Clock } from '../core/index.ts';
import type { ExecutionOutcome } from '../graphql/index.ts';
import { handleGraphqlHttp, type GraphqlHttpDeps } from '../graphql/index.ts';
import type { AppServices } from './app-services.ts';
import type { HttpRequest, HttpResponse, Route } from './http-server.ts';
import type { MetricsRegistry } from './metrics.ts';

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' } as const;

export interface RouteDeps {
  /** The app currently served (swapped by `switchboard dev` reloads). */
  readonly services: () => AppServices;
  /** Publishing, invalidation and metrics after each execution. */
  readonly afterExecution: (outcome: ExecutionOutcome) => void;
  readonly metrics: MetricsRegistry;
  readonly clock: Clock;
  readonly devEndpoints: boolean;
}

/** AppSync answers an oversized body with a 413 and its JSON error shape. */
export function tooLargeResponse(): HttpResponse {
  return {
    status: 413,
    headers: { ...JSON_TYPE, 'x-amzn-errortype': 'PayloadTooLargeException' },
    body: JSON.stringify({ errors: [{ errorType: 'PayloadTooLargeException', message: 'Request payload is too large.' }] }),
  };
}

function json(status: number, value: unknown): HttpResponse {
  return { status, headers: JSON_TYPE, body: JSON.stringify(value) };
}

export function buildRoutes(deps: RouteDeps): Route[] {
  // The GraphQL deps of each served app, built once per app (not per request): a reload swaps
  // `services()`, so they are keyed by it.
  const graphqlDeps = new WeakMap<AppServices, GraphqlHttpDeps>();
  const depsOf = (services: AppServices): GraphqlHttpDeps => {
    let d = graphqlDeps.get(services);
    if (d === undefined) {
      const authenticator = services.authenticator;
      d = { service: services.graphql, authenticate: (authReq) => authenticator.authenticate(authReq), domainName: null, onExecuted: deps.afterExecution };
      graphqlDeps.set(services, d);
    }
    return d;
  };
  // `HttpRequest` already has the shape `handleGraphqlHttp` reads: passed as is, no copy.
  const graphqlHandler = (req: HttpRequest): Promise<HttpResponse> => handleGraphqlHttp(req, depsOf(deps.services()));

  const routes: Route[] = [
    { method: ['POST', 'GET'], path: '/graphql', cors: true, handler: graphqlHandler },
    { method: 'GET', path: '/healthz', quiet: true, handler: () => json(200, { status: 'ok', app: deps.services().app.name }) },
    {
      method: 'GET',
      path: '/metrics',
      quiet: true,
      handler: () => ({ status: 200, headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }, body: deps.metrics.render() }),
    },
    { method: 'GET', path: '/.well-known/jwks.json', handler: async () => json(200, await deps.services().devIssuer.jwks()) },
    {
      method: 'POST',
      path: '/auth/guest-credentials',
      cors: true,
      handler: async () => {
        const guest = deps.services().authenticator.vendGuestCredentials();
        if (guest === undefined) return json(400, { __type: 'NotAuthorizedException', message: 'Unauthenticated access is not supported for this app.' });
        return json(200, guest);
      },
    },
  ];
  if (deps.devEndpoints) {
    routes.push({
      method: 'POST',
      path: '/auth/dev-token',
      handler: async (req) => {
        let body: { username?: unknown; groups?: unknown; email?: unknown; ttlSeconds?: unknown };
        try {
          body = JSON.parse(req.body ?? '{}') as typeof body;
        } catch {
          return json(400, { message: 'body must be JSON: {"username": "...", "groups": ["..."]}' });
        }
        if (typeof body.username !== 'string' || body.username === '') return json(400, { message: 'username (a non-empty string) is required' });
        const groups = Array.isArray(body.groups) ? body.groups.filter((g): g is string => typeof g === 'string') : [];
        const ttl = typeof body.ttlSeconds === 'number' && Number.isInteger(body.ttlSeconds) && body.ttlSeconds > 0 ? { ttlSeconds: body.ttlSeconds } : {};
        return json(200, await deps.services().devIssuer.mint({ username: body.username, groups, ...(typeof body.email === 'string' ? { email: body.email } : {}), ...ttl }));
      },
    });
  }
  return routes;
}
