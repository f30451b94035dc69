/**
 * Who may use the console: whoever the app itself accepts with an API key or a token (an
 * `x-api-key` header, or `Authorization: Bearer <jwt>` from the dev issuer or the app's user pool
 * or OIDC provider), checked by the app's own authenticator. Guest (identity-pool) credentials are
 * refused: they are meant for pages, not for operating the app.
 */
import type { AuthMode } from '../../auth/index.ts';
import type { AppServices } from '../app-services.ts';
import type { HttpRequest, HttpResponse } from '../http-server.ts';
import { failure } from './responses.ts';

export interface ConsoleCaller {
  readonly mode: AuthMode;
  /** The user name of a token, or null for an API key. */
  readonly user: string | null;
}

const NO_CREDENTIAL = 'Log in with an API key of the app (x-api-key) or a token it accepts (Authorization: Bearer <jwt>).';

/** The caller, or the 401 to answer with. */
export async function authenticateConsole(services: AppServices, req: HttpRequest): Promise<ConsoleCaller | HttpResponse> {
  const headers = req.headers;
  if (headers['x-api-key'] === undefined && headers['authorization'] === undefined) return failure(401, NO_CREDENTIAL);
  // A `Bearer ` prefix is fine: the JWT verifier strips it.
  const outcome = await services.authenticator.authenticate({ method: req.method, path: req.rawPath, headers, body: req.body ?? '', sourceIp: req.sourceIp });
  if (!outcome.ok) return failure(401, outcome.message);
  if (outcome.auth.guestAllow !== undefined) return failure(401, 'Guest credentials cannot open the console.');
  return { mode: outcome.auth.mode, user: userOf(outcome.auth.identity) };
}

function userOf(identity: unknown): string | null {
  if (identity === null || typeof identity !== 'object') return null;
  const o = identity as { username?: unknown; sub?: unknown };
  return typeof o.username === 'string' ? o.username : typeof o.sub === 'string' ? o.sub : null;
}
