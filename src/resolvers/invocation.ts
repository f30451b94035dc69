/**
 * The invocation in progress. APPSYNC_JS handlers are synchronous (no async, no promises), so at
 * most one handler runs at any instant: the runtime sets `current` right before calling a handler
 * and the sandbox's `util`/`extensions`/`runtime` objects read it. This is what lets a module be
 * compiled once and shared by every request.
 *
 * Concurrency contract: `current` is only read during a synchronous handler call; it is set
 * immediately before and cleared immediately after, with no `await` in between.
 */
import type { FieldInvocation, ResolverEffect } from './types.ts';
import type { AuthMode } from '../app/index.ts';

export interface Invocation {
  readonly field: FieldInvocation;
}

let current: Invocation | undefined;

export function runHandler<T>(invocation: Invocation, fn: () => T): T {
  const previous = current;
  current = invocation;
  try {
    return fn();
  } finally {
    current = previous;
  }
}

export function currentInvocation(): Invocation {
  if (current === undefined) throw new Error('util/extensions/runtime can only be used while a resolver handler runs');
  return current;
}

const AUTH_TYPES: Record<AuthMode, string> = {
  API_KEY: 'API Key Authorization',
  AWS_IAM: 'IAM Authorization',
  AMAZON_COGNITO_USER_POOLS: 'User Pool Authorization',
  OPENID_CONNECT: 'Open ID Connect Authorization',
  AWS_LAMBDA: 'Lambda Authorization',
};

export function authTypeOf(mode: AuthMode): string {
  return AUTH_TYPES[mode];
}

export function pushEffect(effect: ResolverEffect): void {
  currentInvocation().field.scope.effects.push(effect);
}
