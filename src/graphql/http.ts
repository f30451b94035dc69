/**
 * GraphQL over HTTP as AppSync answers it (research/appsync.md §7):
 * - `POST /graphql` with a JSON body `{query, variables?, operationName?}` (any content type:
 *   AWS's own examples send `application/graphql`); `GET /graphql?query=...` for queries;
 * - empty body → 400 `Request body is empty.`; unparseable → 400 `Unable to parse GraphQL query.`
 *   (both `MalformedHttpRequestException`); no valid credentials → 401 `UnauthorizedException`;
 * - everything else → 200 with `data` and `errors[]`.
 * Transport errors also carry the `x-amzn-ErrorType` header.
 */
import type { AuthContext, AuthRequest } from '../auth/index.ts';
import type { GraphqlRequest, GraphqlService } from './service.ts';

export interface GraphqlHttpInput {
  readonly method: string;
  readonly path: string;
  readonly rawPath?: string;
  readonly searchParams: URLSearchParams;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  readonly sourceIp: string;
}

export type AuthenticateFn = (req: AuthRequest) => Promise<{ ok: true; auth: AuthContext } | { ok: false; errorType: string; message: string }>;

export interface GraphqlHttpDeps {
  readonly service: GraphqlService;
  readonly authenticate: AuthenticateFn;
  readonly domainName: string | null;
  /** Called with each executed request's outcome (metrics, subscription triggers). */
  readonly onExecuted?: (outcome: Awaited<ReturnType<GraphqlService['execute']>>, request: GraphqlRequest, auth: AuthContext) => void;
}

export interface GraphqlHttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

const JSON_TYPE = 'application/json; charset=UTF-8';

function transportError(status: number, errorType: string, message: string): GraphqlHttpResponse {
  return {
    status,
    headers: { 'content-type': JSON_TYPE, 'x-amzn-errortype': errorType },
    body: JSON.stringify({ errors: [{ errorType, message }] }),
  };
}

export function readGraphqlRequest(input: GraphqlHttpInput): GraphqlRequest | { error: GraphqlHttpResponse } {
  if (input.method === 'GET') {
    const query = input.searchParams.get('query');
    if (query === null || query === '') return { error: transportError(400, 'MalformedHttpRequestException', 'Request body is empty.') };
    let variables: Record<string, unknown> | null = null;
    const rawVariables = input.searchParams.get('variables');
    if (rawVariables !== null && rawVariables !== '') {
      try {
        variables = JSON.parse(rawVariables) as Record<string, unknown>;
      } catch {
        return { error: transportError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.') };
      }
    }
    return { query, variables, operationName: input.searchParams.get('operationName') };
  }
  const body = input.body ?? '';
  if (body.trim() === '') return { error: transportError(400, 'MalformedHttpRequestException', 'Request body is empty.') };
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { error: transportError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.') };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { error: transportError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.') };
  const { query, variables, operationName } = parsed as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '') return { error: transportError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.') };
  if (variables !== undefined && variables !== null && (typeof variables !== 'object' || Array.isArray(variables))) {
    return { error: transportError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.') };
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return { error: transportError(400, 'MalformedHttpRequestException', 'Unable to parse GraphQL query.') };
  }
  return { query, variables: (variables as Record<string, unknown> | null | undefined) ?? null, operationName: (operationName as string | null | undefined) ?? null };
}

export async function handleGraphqlHttp(input: GraphqlHttpInput, deps: GraphqlHttpDeps): Promise<GraphqlHttpResponse> {
  const authOutcome = await deps.authenticate(new GraphqlAuthRequest(input));
  if (!authOutcome.ok) return transportError(401, authOutcome.errorType, authOutcome.message);
  const request = readGraphqlRequest(input);
  if ('error' in request) return request.error;
  // Asked of the parsed document, not the text: a comment or a second operation may come first.
  if (input.method === 'GET' && deps.service.operationType(request) === 'mutation') {
    return transportError(400, 'MalformedHttpRequestException', 'Mutations are not allowed over GET.');
  }
  const outcome = await deps.service.execute(request, { auth: authOutcome.auth, headers: input.headers, domainName: deps.domainName });
  deps.onExecuted?.(outcome, request, authOutcome.auth);
  const headers: Record<string, string> = { 'content-type': JSON_TYPE };
  if (outcome.status !== 200) headers['x-amzn-errortype'] = 'MalformedHttpRequestException';
  return { status: outcome.status, headers, body: JSON.stringify(outcome.body) };
}

/**
 * The request as the authenticator sees it. A class, so the signed-body alternatives are a method
 * and not a closure built for every request.
 */
class GraphqlAuthRequest implements AuthRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly sourceIp: string;
  constructor(input: GraphqlHttpInput) {
    this.method = input.method;
    this.path = input.rawPath ?? input.path;
    this.headers = input.headers;
    this.body = input.body ?? '';
    this.sourceIp = input.sourceIp;
  }

  /** Only a SigV4-signed POST has a signed body to re-serialize. */
  signedBodyAlternatives(): readonly string[] {
    return this.method === 'POST' && this.headers['authorization']?.startsWith('AWS4-') === true ? operationSerializations(this.body) : [];
  }
}

/**
 * What `aws-appsync-auth-link` hashes when it signs a request: `{operationName, variables, query}`
 * in that order. Apollo Client 4 then sends that operation with `extensions` added, so the signed
 * text is rebuilt from the received operation (it can only match if the operation is the signed one).
 */
function operationSerializations(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { operationName?: unknown; variables?: unknown; query?: unknown };
    if (parsed === null || typeof parsed !== 'object' || typeof parsed.query !== 'string') return [];
    return [JSON.stringify({ operationName: parsed.operationName ?? undefined, variables: parsed.variables ?? {}, query: parsed.query })];
  } catch {
    return [];
  }
}
