/**
 * The EventBridge endpoint: `POST /` with `X-Amz-Target: AWSEvents.<Op>`, as the AWS SDKs and
 * CLI call it (`endpoint: <switchboard url>`). Every request must be SigV4-signed with a
 * configured access key for service `events`, whatever GraphQL auth modes the app enables.
 * Signature failures answer with the exceptions AWS JSON services use for them.
 */
import type { Clock, Logger } from '../core/index.ts';
import { createAccessKeyVerifier, type AccessKeyOutcome, type AccessKeyVerifier } from '../auth/index.ts';
import { createBusApi, SWITCHBOARD_EVENTS_TARGET_PREFIX, type AwsJsonAnswer, type BusApiDeps } from '../bus/index.ts';
import { SFN_TARGET_PREFIX, type SfnApi } from '../workflows/index.ts';
import type { ActiveCredentials } from './dev-credentials.ts';
import type { AppServices } from './app-services.ts';
import type { HttpRequest, HttpResponse, Route } from './http-server.ts';

const CONTENT_TYPE = 'application/x-amz-json-1.1';
const SFN_CONTENT_TYPE = 'application/x-amz-json-1.0';

export interface BusRouteDeps extends BusApiDeps {
  /** Step Functions on the same endpoint (`X-Amz-Target: AWSStepFunctions.*`, SigV4 service `states`). */
  readonly workflows?: SfnApi;
  /** The app currently served: its access keys may change on a `switchboard dev` reload. */
  readonly services: () => AppServices;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** HTTP 400 and the exception name per signature failure (AWS JSON 1.1 services). */
function refusal(outcome: Extract<AccessKeyOutcome, { ok: false }>): AwsJsonAnswer {
  const type =
    outcome.reason === 'missing'
      ? 'MissingAuthenticationTokenException'
      : outcome.reason === 'unknown-key'
        ? 'UnrecognizedClientException'
        : outcome.reason === 'malformed'
          ? 'IncompleteSignatureException'
          : 'InvalidSignatureException';
  return { status: 400, body: JSON.stringify({ __type: type, message: outcome.message }), errorType: type };
}

function toHttp(answer: AwsJsonAnswer): HttpResponse {
  return {
    status: answer.status,
    headers: answer.errorType === undefined ? { 'content-type': CONTENT_TYPE } : { 'content-type': CONTENT_TYPE, 'x-amzn-errortype': answer.errorType },
    body: answer.body,
  };
}

export function busRoutes(deps: BusRouteDeps): Route[] {
  const api = createBusApi(deps);
  // One verifier per credential set, rebuilt only when a reload brings new credentials.
  const verifiers = { events: new WeakMap<ActiveCredentials, AccessKeyVerifier>(), states: new WeakMap<ActiveCredentials, AccessKeyVerifier>() };
  const verifierFor = (credentials: ActiveCredentials, service: 'events' | 'states' = 'events'): AccessKeyVerifier => {
    let verifier = verifiers[service].get(credentials);
    if (verifier === undefined) {
      verifier = createAccessKeyVerifier({ accessKeys: credentials.accessKeys, clock: deps.clock, service });
      verifiers[service].set(credentials, verifier);
    }
    return verifier;
  };

  const callWorkflows = async (req: HttpRequest, sfn: SfnApi): Promise<HttpResponse> => {
    const auth = verifierFor(deps.services().credentials, 'states')({ method: req.method, path: req.rawPath, headers: req.headers, body: req.body ?? '', sourceIp: req.sourceIp });
    const answer = auth.ok ? await sfn.handle({ target: req.headers['x-amz-target'], body: req.body ?? '' }) : refusal(auth);
    if ('internalError' in answer && answer.internalError !== undefined) deps.logger.log('error', 'Step Functions API operation failed', { target: req.headers['x-amz-target'], error: answer.internalError });
    const response = toHttp(answer);
    return { ...response, headers: { ...response.headers, 'content-type': SFN_CONTENT_TYPE } };
  };

  const call = async (req: HttpRequest, target: string | undefined, body: string): Promise<HttpResponse> => {
    const auth = verifierFor(deps.services().credentials)({ method: req.method, path: req.rawPath, headers: req.headers, body: req.body ?? '', sourceIp: req.sourceIp });
    if (!auth.ok) return toHttp(refusal(auth));
    const answer = await api.handle({ target, body, caller: { accountId: auth.accountId, region: auth.region } });
    if (answer.internalError !== undefined) deps.logger.log('error', 'event bus API operation failed', { target, error: answer.internalError });
    return toHttp(answer);
  };

  return [
    {
      method: 'POST',
      path: '/',
      handler: (req) => {
        const target = req.headers['x-amz-target'];
        if (deps.workflows !== undefined && target?.startsWith(SFN_TARGET_PREFIX) === true) return callWorkflows(req, deps.workflows);
        return call(req, target, req.body ?? '');
      },
    },
    {
      // GET /events/<id>/trace[?bus=<name>]: the same SigV4 (service events) as the API.
      method: 'GET',
      path: '/events/*',
      handler: async (req) => {
        const m = /^\/events\/([^/]+)\/trace$/.exec(req.path);
        if (m === null) return toHttp({ status: 404, body: JSON.stringify({ __type: 'NotFoundException', message: 'Use GET /events/<id>/trace' }), errorType: 'NotFoundException' });
        const bus = req.searchParams.get('bus');
        const input = { EventId: decodeURIComponent(m[1] ?? ''), ...(bus !== null ? { EventBusName: bus } : {}) };
        return call(req, `${SWITCHBOARD_EVENTS_TARGET_PREFIX}GetEventTrace`, JSON.stringify(input));
      },
    },
  ];
}
