/** The auth domain's public door: who is calling, and signing requests on the way out. */
export type {
  AuthMode,
  AuthContext,
  AuthRequest,
  Identity,
  IamIdentity,
  CognitoIdentity,
  OidcIdentity,
  LambdaIdentity,
} from './types.ts';

export { createAuthenticator, UNAUTHORIZED_MESSAGE } from './authenticator.ts';
export type { Authenticator, AuthenticatorConfig, AuthenticatorOptions, AuthOutcome } from './authenticator.ts';

export { createLambdaAuthorizer, LAMBDA_AUTHORIZER_TIMEOUT_MS } from './lambda-authorizer.ts';
export type { LambdaAuthorizer, LambdaAuthorizerEvent, LambdaAuthorizerFunction, LambdaAuthorizerOptions } from './lambda-authorizer.ts';

export { createApiKeySet } from './api-keys.ts';
export type { ApiKeyCheck, ApiKeyEntry, ApiKeySet } from './api-keys.ts';

export { verifySigV4, signSigV4, parseSigV4Authorization, SIGV4_MAX_SKEW_MS } from './sigv4.ts';
export type {
  SigV4Result,
  SigV4FailureReason,
  SigV4Credential,
  SecretLookup,
  SignSigV4Input,
  VerifySigV4Options,
} from './sigv4.ts';

export { createJwtVerifier, peekJwtIssuer, JWT_MESSAGES } from './jwt.ts';
export type { JwtMode, JwtKeySource, JwtVerifier, JwtVerifierOptions, JwtVerifyResult } from './jwt.ts';

export { createDevIssuer, subjectFor, DEV_ISSUER_DEFAULT, DEV_CLIENT_ID } from './dev-issuer.ts';
export type { DevIssuer, DevIssuerOptions, DevUser, MintedToken } from './dev-issuer.ts';

export { createGuestVendor, GUEST_ACCESS_KEY_PREFIX } from './guest.ts';
export type { GuestCredentials, GuestPrincipal, GuestTokenCheck, GuestVendor, GuestVendorOptions } from './guest.ts';

export { createAccessKeyVerifier } from './access-key-verifier.ts';
export type { AccessKeyOutcome, AccessKeyVerifier, AccessKeyVerifierOptions } from './access-key-verifier.ts';
