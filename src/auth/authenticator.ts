/**
 * The auth door for transports: turns a request's credentials into an `AuthContext`, trying only
 * the modes the API enables, picked from the headers the way AppSync picks them. Field-level checks
 * (`@aws_*` directives, guest allow-lists) are not done here; they need the schema.
 */
import type { AccessKeyConfig, GuestAccessConfig, JwtModeConfig } from '../app/index.ts';
import type { Clock } from '../core/index.ts';
import { createApiKeySet } from './api-keys.ts';
import type { ApiKeyEntry } from './api-keys.ts';
import type { DevIssuer } from './dev-issuer.ts';
import { GUEST_ACCESS_KEY_PREFIX, createGuestVendor } from './guest.ts';
import type { GuestCredentials, GuestVendor } from './guest.ts';
import { JWT_MESSAGES, createJwtVerifier, peekJwtIssuer } from './jwt.ts';
import type { JwtMode, JwtVerifier } from './jwt.ts';
import { createLambdaAuthorizer } from './lambda-authorizer.ts';
import type { LambdaAuthorizer, LambdaAuthorizerFunction } from './lambda-authorizer.ts';
import { verifySigV4 } from './sigv4.ts';
import type { AuthContext, AuthMode, AuthOutcome, AuthRequest, IamIdentity } from './types.ts';

export type { AuthOutcome };

export interface Authenticator {
  /**
   * Picks the mode from the request's headers as AppSync does: `x-api-key` → API_KEY;
   * `authorization` starting `AWS4-HMAC-SHA256` → AWS_IAM when enabled; a JWT → the user pool or
   * OIDC mode (by issuer) when one is enabled; any other `authorization` → AWS_LAMBDA. So with
   * IAM or a JWT mode enabled, a SigV4 header or a JWT never reaches the Lambda authorizer, as on
   * AppSync. Only modes enabled on the API are tried.
   */
  authenticate(req: AuthRequest): Promise<AuthOutcome>;
  /** `undefined` when the app declares no guest access. */
  vendGuestCredentials(): GuestCredentials | undefined;
}

/** The parts of the app's `AuthDefinition` authentication needs (an `AuthDefinition` fits). */
export interface AuthenticatorConfig {
  readonly defaultMode: AuthMode;
  readonly additionalModes: readonly AuthMode[];
  readonly apiKeys: readonly ApiKeyEntry[];
  readonly accessKeys: readonly AccessKeyConfig[];
  readonly guest?: GuestAccessConfig;
  readonly userPool?: JwtModeConfig;
  readonly oidc?: JwtModeConfig;
  /** AWS_LAMBDA's settings (an `AuthDefinition`'s `lambda` fits); the function itself is `lambdaAuthorizer`. */
  readonly lambda?: { readonly resultTtlSeconds: number; readonly identityValidationExpression?: string };
}

export interface AuthenticatorOptions {
  readonly auth: AuthenticatorConfig;
  readonly clock: Clock;
  /** Verifies user-pool/OIDC tokens when the mode's config has no `jwksUrl`. */
  readonly devIssuer?: DevIssuer;
  /** 64 hex characters sealing guest session tokens; only read when `auth.guest` is set. */
  readonly guestKey: string;
  /** Region in guest identity ids; default `us-east-1`. */
  readonly region?: string;
  /**
   * The app's Lambda authorizer function, loaded by the composition root. Without it, a token
   * routed to AWS_LAMBDA is refused.
   */
  readonly lambdaAuthorizer?: LambdaAuthorizerFunction;
  /** `requestContext.apiId` of Lambda authorizer events; default `switchboard`. */
  readonly apiId?: string;
}

export const UNAUTHORIZED_MESSAGE = 'You are not authorized to make this call.';
const DEFAULT_ACCOUNT = '000000000000';
const SIGV4_PREFIX = 'AWS4-HMAC-SHA256';

interface IamPrincipal {
  readonly secretAccessKey: string;
  readonly identity: (sourceIp: string) => IamIdentity;
  readonly guestAllow?: readonly string[];
}

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { auth, clock } = options;
  const modes = new Set<AuthMode>([auth.defaultMode, ...auth.additionalModes]);
  const apiKeys = createApiKeySet(auth.apiKeys);
  const accessKeys = new Map(auth.accessKeys.map((k) => [k.accessKeyId, accessKeyPrincipal(k)]));
  const guest =
    auth.guest === undefined
      ? undefined
      : {
          config: auth.guest,
          vendor: createGuestVendor({
            guestKey: options.guestKey,
            ...(auth.guest.durationSeconds !== undefined ? { durationSeconds: auth.guest.durationSeconds } : {}),
            ...(options.region !== undefined ? { region: options.region } : {}),
          }),
        };
  const jwtVerifiers = [
    jwtVerifierFor('AMAZON_COGNITO_USER_POOLS', auth.userPool),
    jwtVerifierFor('OPENID_CONNECT', auth.oidc),
  ].filter((v): v is JwtVerifier => v !== undefined);
  const lambda: LambdaAuthorizer | undefined =
    modes.has('AWS_LAMBDA') && options.lambdaAuthorizer !== undefined
      ? createLambdaAuthorizer({
          invoke: options.lambdaAuthorizer,
          clock,
          resultTtlSeconds: auth.lambda?.resultTtlSeconds ?? 0,
          ...(auth.lambda?.identityValidationExpression !== undefined ? { identityValidationExpression: auth.lambda.identityValidationExpression } : {}),
          apiId: options.apiId ?? 'switchboard',
          accountId: DEFAULT_ACCOUNT,
        })
      : undefined;
  // API-key success is the hot path: one shared, immutable outcome instead of an object per request.
  const apiKeyOutcome: AuthOutcome = Object.freeze({ ok: true, auth: Object.freeze({ mode: 'API_KEY', identity: null }) });

  function jwtVerifierFor(mode: JwtMode, config: JwtModeConfig | undefined): JwtVerifier | undefined {
    if (!modes.has(mode)) return undefined;
    const dev = options.devIssuer;
    if (config?.jwksUrl !== undefined) {
      return createJwtVerifier({
        mode,
        keys: { jwksUrl: config.jwksUrl },
        ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
        ...(config.clientIds !== undefined ? { clientIds: config.clientIds } : {}),
      });
    }
    if (dev === undefined) return undefined;
    return createJwtVerifier({
      mode,
      keys: { jwks: dev.publicKeySet },
      issuer: config?.issuer ?? dev.issuer,
      ...(config?.clientIds !== undefined ? { clientIds: config.clientIds } : {}),
    });
  }

  function lookupIamSecret(failure: { message?: string }) {
    return (accessKeyId: string, req: AuthRequest): IamPrincipal | undefined => {
      const configured = accessKeys.get(accessKeyId);
      if (configured !== undefined) return configured;
      if (guest === undefined || !accessKeyId.startsWith(GUEST_ACCESS_KEY_PREFIX)) return undefined;
      const token = req.headers['x-amz-security-token'];
      if (token === undefined) return undefined;
      const opened = guest.vendor.open(accessKeyId, token, clock.now());
      if (!opened.ok) {
        if (opened.reason === 'expired') failure.message = 'The security token included in the request is expired';
        return undefined;
      }
      return guestPrincipal(opened.principal.identityId, opened.principal.secretAccessKey, accessKeyId, guest.config);
    };
  }

  function authenticateIam(req: AuthRequest): AuthOutcome {
    if (!modes.has('AWS_IAM')) return refuse(UNAUTHORIZED_MESSAGE);
    const failure: { message?: string } = {};
    const result = verifySigV4(req, lookupIamSecret(failure), clock.now(), { service: 'appsync' });
    if (!result.ok) return refuse(failure.message ?? result.message);
    const principal = result.principal;
    const context: AuthContext =
      principal.guestAllow === undefined
        ? { mode: 'AWS_IAM', identity: principal.identity(req.sourceIp) }
        : { mode: 'AWS_IAM', identity: principal.identity(req.sourceIp), guestAllow: principal.guestAllow };
    return { ok: true, auth: context };
  }

  async function authenticateToken(req: AuthRequest, token: string): Promise<AuthOutcome> {
    const peeked = peekJwtIssuer(token);
    if (peeked === undefined || jwtVerifiers.length === 0) {
      if (modes.has('AWS_LAMBDA')) return lambda === undefined ? refuse(UNAUTHORIZED_MESSAGE) : lambda.authorize(token, req);
      return refuse(jwtVerifiers.length === 0 ? UNAUTHORIZED_MESSAGE : JWT_MESSAGES.unparseable);
    }
    const verifier = pickVerifier(jwtVerifiers, peeked.issuer);
    const result = await verifier.verify(token, clock.now(), req.sourceIp);
    if (!result.ok) return refuse(result.message);
    return { ok: true, auth: { mode: verifier.mode, identity: result.identity } };
  }

  return {
    async authenticate(req) {
      const apiKey = req.headers['x-api-key'];
      const authorization = req.headers['authorization'];
      if (apiKey !== undefined && (modes.has('API_KEY') || authorization === undefined)) {
        if (!modes.has('API_KEY')) return refuse(UNAUTHORIZED_MESSAGE);
        return apiKeys.check(apiKey, clock.now()) === 'valid' ? apiKeyOutcome : refuse(UNAUTHORIZED_MESSAGE);
      }
      if (authorization === undefined || authorization.trim() === '') {
        const jwtDefault = auth.defaultMode === 'AMAZON_COGNITO_USER_POOLS' || auth.defaultMode === 'OPENID_CONNECT';
        return refuse(jwtDefault ? JWT_MESSAGES.missing : UNAUTHORIZED_MESSAGE);
      }
      // With IAM off, a SigV4-looking header is only a token: AWS_LAMBDA's, when that is on.
      if (authorization.startsWith(SIGV4_PREFIX) && (modes.has('AWS_IAM') || !modes.has('AWS_LAMBDA'))) return authenticateIam(req);
      return authenticateToken(req, authorization);
    },
    vendGuestCredentials() {
      return guest?.vendor.vend(clock.now());
    },
  };
}

/** Route a token to the verifier of its issuer; else the only one, one with no fixed issuer, or the user pool. */
function pickVerifier(verifiers: readonly JwtVerifier[], issuer: string | undefined): JwtVerifier {
  const first = verifiers[0] as JwtVerifier;
  return (
    verifiers.find((v) => v.issuer !== undefined && v.issuer === issuer) ??
    verifiers.find((v) => v.issuer === undefined) ??
    first
  );
}

function refuse(message: string): AuthOutcome {
  return { ok: false, errorType: 'UnauthorizedException', message };
}

function accessKeyPrincipal(k: AccessKeyConfig): IamPrincipal {
  const accountId = k.accountId ?? DEFAULT_ACCOUNT;
  const userArn = k.userArn ?? `arn:aws:iam::${accountId}:user/${k.accessKeyId}`;
  return {
    secretAccessKey: k.secretAccessKey,
    identity: (sourceIp) => ({
      accountId,
      cognitoIdentityPoolId: null,
      cognitoIdentityId: null,
      sourceIp: [sourceIp],
      username: k.accessKeyId,
      userArn,
      cognitoIdentityAuthType: null,
      cognitoIdentityAuthProvider: null,
    }),
  };
}

function guestPrincipal(identityId: string, secretAccessKey: string, accessKeyId: string, config: GuestAccessConfig): IamPrincipal {
  const userArn = config.roleArn ?? `arn:aws:sts::${DEFAULT_ACCOUNT}:assumed-role/switchboard-guest/${identityId}`;
  const accountId = /^arn:aws[\w-]*:[\w-]+::(\d{12}):/.exec(userArn)?.[1] ?? DEFAULT_ACCOUNT;
  const region = identityId.slice(0, identityId.indexOf(':'));
  return {
    secretAccessKey,
    guestAllow: config.allow,
    identity: (sourceIp) => ({
      accountId,
      cognitoIdentityPoolId: `${region}:switchboard-guests`,
      cognitoIdentityId: identityId,
      sourceIp: [sourceIp],
      username: accessKeyId,
      userArn,
      cognitoIdentityAuthType: 'unauthenticated',
      cognitoIdentityAuthProvider: null,
    }),
  };
}
