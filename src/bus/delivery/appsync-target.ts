/**
 * The AppSync target (research/eventbridge.md §4.7): the target input is the VARIABLES object of
 * `AppSyncParameters.GraphQLOperation`, run against the local GraphQL API as an IAM principal.
 * The GraphQL service is injected (`bus/` does not import `graphql/` or `server/`); the wiring
 * also publishes the mutation's result to subscribers.
 */
import type { AuthContext } from '../../auth/index.ts';
import type { InvokeOutcome, TargetInvoker } from './target-invoker.ts';

/** Who an EventBridge-invoked operation runs as: `$ctx.identity` of an AWS_IAM call by the service. */
export const EVENTBRIDGE_TARGET_AUTH: AuthContext = {
  mode: 'AWS_IAM',
  identity: {
    accountId: '000000000000',
    userArn: 'arn:aws:iam::000000000000:role/eventbridge-target',
    username: 'events.amazonaws.com',
    sourceIp: [],
    cognitoIdentityPoolId: null,
    cognitoIdentityId: null,
    cognitoIdentityAuthType: null,
    cognitoIdentityAuthProvider: null,
  },
};

/** Runs one operation; resolves with the response body (its `errors` count as a failure). */
export type GraphqlRunner = (operation: string, variables: Readonly<Record<string, unknown>>) => Promise<{ readonly errors?: readonly { readonly message: string }[] | undefined }>;

export function isAppSyncTarget(target: { readonly arn: string; readonly graphqlOperation?: string }): boolean {
  return target.graphqlOperation !== undefined || /^arn:aws[a-z-]*:appsync:[^:]*:[^:]*:apis\//.test(target.arn);
}

export function createAppSyncTarget(run: GraphqlRunner): TargetInvoker {
  return async (target, input): Promise<InvokeOutcome> => {
    if (target.graphqlOperation === undefined) {
      return { ok: false, code: 'NO_RESOURCE', message: 'AppSync target has no AppSyncParameters.GraphQLOperation', retryable: false };
    }
    let variables: unknown;
    try {
      variables = JSON.parse(input);
    } catch {
      return { ok: false, code: 'INVALID_INPUT', message: 'target input is not JSON', retryable: false };
    }
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) {
      return { ok: false, code: 'INVALID_INPUT', message: 'the input of an AppSync target must be a JSON object (the variables)', retryable: false };
    }
    const body = await run(target.graphqlOperation, variables as Record<string, unknown>);
    const first = body.errors?.[0];
    // AppSync answers 200 with errors[]; EventBridge treats them as a failed invocation.
    if (first !== undefined) return { ok: false, code: 'GRAPHQL_ERROR', message: first.message, retryable: true };
    return { ok: true };
  };
}
