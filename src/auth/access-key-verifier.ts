/**
 * SigV4 for the AWS service APIs Switchboard speaks besides AppSync (EventBridge: service
 * `events`). Unlike the GraphQL authenticator, this does not depend on the app's GraphQL auth
 * modes: only the configured access keys are accepted (never guest credentials, which are scoped
 * to AppSync), and failures keep their reason so the wire mapper can answer with the exception
 * AWS uses for each (`UnrecognizedClientException`, `InvalidSignatureException`, ...).
 */
import type { AccessKeyConfig } from '../app/index.ts';
import type { Clock } from '../core/index.ts';
import { verifySigV4, type SigV4FailureReason } from './sigv4.ts';
import type { AuthRequest } from './types.ts';

const DEFAULT_ACCOUNT = '000000000000';

export type AccessKeyOutcome =
  | {
      readonly ok: true;
      readonly accessKeyId: string;
      /** The key's `accountId` (default `000000000000`). */
      readonly accountId: string;
      /** The region the request was signed for (its credential scope). */
      readonly region: string;
    }
  | { readonly ok: false; readonly reason: SigV4FailureReason | 'missing'; readonly message: string };

export interface AccessKeyVerifierOptions {
  readonly accessKeys: readonly AccessKeyConfig[];
  readonly clock: Clock;
  /** The signing service the credential scope must name (`events`). */
  readonly service: string;
}

export type AccessKeyVerifier = (req: AuthRequest) => AccessKeyOutcome;

export function createAccessKeyVerifier(options: AccessKeyVerifierOptions): AccessKeyVerifier {
  const keys = new Map(options.accessKeys.map((k) => [k.accessKeyId, k]));
  return (req) => {
    const authorization = req.headers['authorization'];
    if (authorization === undefined || authorization.trim() === '') {
      return { ok: false, reason: 'missing', message: 'Missing Authentication Token' };
    }
    const result = verifySigV4(req, (id) => keys.get(id), options.clock.now(), { service: options.service });
    if (!result.ok) return result;
    return { ok: true, accessKeyId: result.accessKeyId, accountId: result.principal.accountId ?? DEFAULT_ACCOUNT, region: result.region };
  };
}
