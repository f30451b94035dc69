/**
 * The realtime admin API, for back ends (rules, workflows, scripts): publish a payload straight to
 * a subscription field, with no dummy mutation in the public schema, and invalidate subscriptions.
 * Only IAM principals holding a configured access key may call it (never guests, never API keys):
 * the same SigV4 the AWS SDKs produce, service `appsync`.
 *
 *   POST /admin/subscriptions/publish     {"field": "onOrderUpdated", "payload": {...}}  → {"delivered": n}
 *   POST /admin/subscriptions/invalidate  {"field": "subscribe", "payload": {...}}        → {"invalidated": n}
 */
import type { RealtimeService } from '../realtime/index.ts';
import type { AppServices } from './app-services.ts';
import type { HttpRequest, HttpResponse, Route } from './http-server.ts';

const JSON_TYPE = { 'content-type': 'application/json; charset=UTF-8' } as const;

function answer(status: number, value: unknown, errorType?: string): HttpResponse {
  return { status, headers: errorType ? { ...JSON_TYPE, 'x-amzn-errortype': errorType } : JSON_TYPE, body: JSON.stringify(value) };
}

export function adminRoutes(deps: { readonly services: () => AppServices; readonly realtime: RealtimeService }): Route[] {
  async function authorize(req: HttpRequest): Promise<HttpResponse | undefined> {
    const outcome = await deps.services().authenticator.authenticate({ method: req.method, path: req.rawPath, headers: req.headers, body: req.body ?? '', sourceIp: req.sourceIp });
    if (!outcome.ok) return answer(401, { __type: 'UnauthorizedException', message: outcome.message }, 'UnauthorizedException');
    if (outcome.auth.mode !== 'AWS_IAM' || outcome.auth.guestAllow !== undefined) {
      return answer(403, { __type: 'AccessDeniedException', message: 'The admin API accepts only SigV4 requests signed with a configured access key.' }, 'AccessDeniedException');
    }
    return undefined;
  }

  function readBody(req: HttpRequest): { field: string; payload: unknown } | HttpResponse {
    try {
      const body = JSON.parse(req.body ?? '') as { field?: unknown; payload?: unknown };
      const subscriptions = deps.services().graphql.schema.getSubscriptionType()?.getFields() ?? {};
      if (typeof body.field !== 'string' || subscriptions[body.field] === undefined) {
        return answer(400, { __type: 'BadRequestException', message: `field must name a field of type Subscription (${Object.keys(subscriptions).join(', ') || 'none'})` }, 'BadRequestException');
      }
      return { field: body.field, payload: body.payload ?? null };
    } catch {
      return answer(400, { __type: 'BadRequestException', message: 'The body must be JSON: {"field": "...", "payload": {...}}' }, 'BadRequestException');
    }
  }

  /** An admin operation: IAM check, then `{field, payload}`, then `run`. */
  const operation = (path: string, run: (field: string, payload: unknown) => Promise<unknown>): Route => ({
    method: 'POST',
    path,
    handler: async (req) => {
      const denied = await authorize(req);
      if (denied) return denied;
      const body = readBody(req);
      if ('status' in body) return body;
      return answer(200, await run(body.field, body.payload));
    },
  });

  return [
    operation('/admin/subscriptions/publish', async (field, payload) => ({ delivered: await deps.realtime.publish(field, payload) })),
    operation('/admin/subscriptions/invalidate', async (field, payload) => ({ invalidated: deps.realtime.invalidate(field, payload) })),
  ];
}
