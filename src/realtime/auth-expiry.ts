/**
 * When a connection's credentials stop being valid: a JWT's `exp` claim (user pools, OIDC).
 * API keys and IAM signatures are checked once, at connect and at each start.
 */
import type { AuthContext } from '../auth/index.ts';

export function expiresAtOf(auth: AuthContext): number | undefined {
  const claims = (auth.identity as { claims?: { exp?: unknown } } | null)?.claims;
  return typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined;
}

/** A refreshed token must name the same principal as the one it replaces. */
export function samePrincipal(a: AuthContext, b: AuthContext): boolean {
  if (a.mode !== b.mode) return false;
  const subject = (x: AuthContext) => (x.identity as { sub?: unknown; userArn?: unknown } | null)?.sub ?? (x.identity as { userArn?: unknown } | null)?.userArn ?? null;
  return subject(a) === subject(b);
}
