/**
 * Test harness for the GraphQL domain: schemas from `fixtures/`, a tiny in-test `ResolverRuntime`
 * (resolvers are plain functions keyed `Type.field`; the real runtime has its own tests) and a
 * logger that records what it was told.
 */
import { readFileSync } from 'node:fs';
import type { GraphQLSchema } from 'graphql';
import type { AuthMode } from '../../src/app/index.ts';
import type { AuthContext } from '../../src/auth/index.ts';
import type { Logger, LogFields, LogLevel } from '../../src/core/index.ts';
import { buildAppSchema, createGraphqlService, type GraphqlService } from '../../src/graphql/index.ts';
import type { FieldInvocation, ResolverRuntime } from '../../src/resolvers/index.ts';

export function fixture(name: string): string {
  return readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
}

export function blogSchema(): GraphQLSchema {
  return buildAppSchema(fixture('blog.graphql'), 'blog.graphql');
}

export type FakeResolver = (invocation: FieldInvocation) => unknown;

export function fakeRuntime(resolvers: Readonly<Record<string, FakeResolver>>): ResolverRuntime & { readonly calls: FieldInvocation[] } {
  const calls: FieldInvocation[] = [];
  return {
    calls,
    has: (typeName, fieldName) => `${typeName}.${fieldName}` in resolvers,
    async resolve(invocation) {
      calls.push(invocation);
      const fn = resolvers[`${invocation.typeName}.${invocation.fieldName}`];
      if (fn === undefined) throw new Error(`no fake resolver for ${invocation.typeName}.${invocation.fieldName}`);
      return fn(invocation);
    },
  };
}

export interface LogEntry {
  readonly level: LogLevel;
  readonly msg: string;
  readonly fields: LogFields | undefined;
}

export function recordingLogger(entries: LogEntry[] = []): Logger & { readonly entries: LogEntry[] } {
  const logger = {
    entries,
    log(level: LogLevel, msg: string, fields?: LogFields) {
      entries.push({ level, msg, fields });
    },
    child: () => logger,
  };
  return logger;
}

export const API_KEY: AuthContext = { mode: 'API_KEY', identity: null };

export function cognito(groups: readonly string[] | null): AuthContext {
  return {
    mode: 'AMAZON_COGNITO_USER_POOLS',
    identity: { sub: 'u-1', issuer: 'https://issuer', username: 'ana', claims: {}, sourceIp: ['127.0.0.1'], defaultAuthStrategy: 'ALLOW', groups },
  };
}

export const IAM: AuthContext = {
  mode: 'AWS_IAM',
  identity: {
    accountId: '123456789012',
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    sourceIp: ['127.0.0.1'],
    username: 'AKIDSERVICE',
    userArn: 'arn:aws:iam::123456789012:user/service',
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  },
};

export interface ServiceSetup {
  readonly schema?: GraphQLSchema;
  readonly resolvers?: Readonly<Record<string, FakeResolver>>;
  readonly defaultMode?: AuthMode;
  readonly additionalModes?: readonly AuthMode[];
  readonly maxQueryDepth?: number;
}

export function service(setup: ServiceSetup = {}): GraphqlService & { readonly runtime: ReturnType<typeof fakeRuntime>; readonly logger: ReturnType<typeof recordingLogger> } {
  const runtime = fakeRuntime(setup.resolvers ?? {});
  const logger = recordingLogger();
  const svc = createGraphqlService({
    schema: setup.schema ?? blogSchema(),
    runtime,
    auth: { defaultMode: setup.defaultMode ?? 'API_KEY', additionalModes: setup.additionalModes ?? ['AWS_IAM', 'AMAZON_COGNITO_USER_POOLS'] },
    maxQueryDepth: setup.maxQueryDepth ?? 10,
    logger,
  });
  return Object.assign(svc, { runtime, logger });
}

export const META = { headers: {}, domainName: null } as const;
