/**
 * A connection's credentials over time, shared by both protocols: a JWT connection ends at the
 * token's `exp` (API keys and IAM signatures are checked once, at connect and at each start),
 * unless the client refreshes it in band with a new token of the same principal.
 */
import type { AuthContext } from '../auth/index.ts';
import type { Clock, Timer } from '../core/index.ts';

export function expiresAtOf(auth: AuthContext): number | undefined {
  const claims = (auth.identity as { claims?: { exp?: unknown } } | null)?.claims;
  return typeof claims?.exp === 'number' ? claims.exp * 1000 : undefined;
}

/**
 * A refreshed token must name the same principal as the one it replaces. An AWS_LAMBDA identity
 * names no subject: the authorizer's answer is the principal, so it must be the same answer
 * (its `resolverContext` and `deniedFields`), or a refresh could swap the connection's rights.
 */
export function samePrincipal(a: AuthContext, b: AuthContext): boolean {
  if (a.mode !== b.mode) return false;
  if (a.mode === 'AWS_LAMBDA') return JSON.stringify(a.identity) === JSON.stringify(b.identity) && String(a.deniedFields ?? '') === String(b.deniedFields ?? '');
  const subject = (x: AuthContext) => (x.identity as { sub?: unknown; userArn?: unknown } | null)?.sub ?? (x.identity as { userArn?: unknown } | null)?.userArn ?? null;
  return subject(a) === subject(b);
}

export type Authenticate = (header: Readonly<Record<string, string>>) => Promise<{ ok: true; auth: AuthContext } | { ok: false; message: string }>;

export type RefreshOutcome = { readonly ok: true; readonly auth: AuthContext; readonly expiresAt?: string } | { readonly ok: false; readonly message: string };

export interface CredentialLifetime {
  /** Starts (or restarts) the expiry timer for these credentials. */
  arm(auth: AuthContext): void;
  /** Authenticates `header`; on success for the same principal, re-arms and returns the new credentials. */
  refresh(current: AuthContext, header: Readonly<Record<string, string>>, authenticate: Authenticate): Promise<RefreshOutcome>;
  cancel(): void;
}

export function createCredentialLifetime(clock: Clock, onExpired: () => void): CredentialLifetime {
  return new Lifetime(clock, onExpired);
}

/** A class, not closures: one of these lives per open connection. */
class Lifetime implements CredentialLifetime {
  #timer: Timer | undefined;
  readonly #clock: Clock;
  readonly #onExpired: () => void;

  constructor(clock: Clock, onExpired: () => void) {
    this.#clock = clock;
    this.#onExpired = onExpired;
  }

  arm(auth: AuthContext): void {
    this.#timer?.cancel();
    this.#timer = undefined;
    const at = expiresAtOf(auth);
    if (at !== undefined) this.#timer = this.#clock.setTimer(at - this.#clock.now(), this.#onExpired);
  }

  async refresh(current: AuthContext, header: Readonly<Record<string, string>>, authenticate: Authenticate): Promise<RefreshOutcome> {
    const outcome = await authenticate(header);
    if (!outcome.ok) return { ok: false, message: outcome.message };
    if (!samePrincipal(current, outcome.auth)) return { ok: false, message: 'The new credentials belong to another principal.' };
    this.arm(outcome.auth);
    const at = expiresAtOf(outcome.auth);
    return at === undefined ? { ok: true, auth: outcome.auth } : { ok: true, auth: outcome.auth, expiresAt: new Date(at).toISOString() };
  }

  cancel(): void {
    this.#timer?.cancel();
  }
}
