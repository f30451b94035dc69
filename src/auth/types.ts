/**
 * Who is calling. `AuthContext` is what a transport (HTTP, WebSocket) learns from a request's
 * credentials; `ctx.identity` in resolvers is `AuthContext.identity`, shaped as AppSync shapes it.
 */
import type { AuthMode } from '../app/index.ts';

export type { AuthMode };

/** AWS_IAM identity (AppSync `AppSyncIdentityIAM`). */
export interface IamIdentity {
  readonly accountId: string;
  readonly cognitoIdentityPoolId: string | null;
  readonly cognitoIdentityId: string | null;
  readonly sourceIp: readonly string[];
  readonly username: string;
  readonly userArn: string;
  readonly cognitoIdentityAuthType: 'authenticated' | 'unauthenticated' | null;
  readonly cognitoIdentityAuthProvider: string | null;
}

/** AMAZON_COGNITO_USER_POOLS identity (AppSync `AppSyncIdentityCognito`). */
export interface CognitoIdentity {
  readonly sub: string;
  readonly issuer: string;
  readonly username: string;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly sourceIp: readonly string[];
  readonly defaultAuthStrategy: 'ALLOW' | 'DENY';
  readonly groups: readonly string[] | null;
}

/** OPENID_CONNECT identity (AppSync `AppSyncIdentityOIDC`). */
export interface OidcIdentity {
  readonly sub: string;
  readonly issuer: string;
  readonly claims: Readonly<Record<string, unknown>>;
}

/** AWS_LAMBDA identity: the authorizer function's `resolverContext` (`{}` when it gave none). */
export interface LambdaIdentity {
  readonly resolverContext: Readonly<Record<string, unknown>>;
}

export type Identity = IamIdentity | CognitoIdentity | OidcIdentity | LambdaIdentity;

export interface AuthContext {
  readonly mode: AuthMode;
  /** `null` for API_KEY, as in AppSync. */
  readonly identity: Identity | null;
  /** Set for guest (identity-pool unauthenticated) IAM credentials: the `Type.field` allow-list. */
  readonly guestAllow?: readonly string[];
  /** AWS_LAMBDA: fields the authorizer denied (`deniedFields`). */
  readonly deniedFields?: readonly string[];
}

/** What authentication answers: the caller, or AppSync's refusal. */
export type AuthOutcome =
  | { readonly ok: true; readonly auth: AuthContext }
  | { readonly ok: false; readonly errorType: 'UnauthorizedException'; readonly message: string };

/** What an authenticator needs from a request; transports build it. Header names are lower-case. */
export interface AuthRequest {
  readonly method: string;
  /** Path plus query string, as sent (`/graphql`, `/graphql/connect`). */
  readonly path: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The exact body bytes (SigV4 signs them). */
  readonly body: string;
  /**
   * Other texts the signer may have hashed for the same request. `aws-appsync-auth-link` signs
   * its own serialization `{operationName, variables, query}` while Apollo Client 4 sends that
   * plus `extensions`; the GraphQL transport passes the re-serialization of the received
   * operation here, so only what the operation means is covered, never a different operation.
   * A thunk: computed only when the body as received does not verify.
   */
  readonly signedBodyAlternatives?: () => readonly string[];
  readonly sourceIp: string;
}
