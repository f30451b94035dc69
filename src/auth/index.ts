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
