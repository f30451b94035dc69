/**
 * Field authorization as AppSync decides it: a field's own auth directives win; otherwise its
 * type's; otherwise only the API's default mode. `cognito_groups` narrows user-pool access to
 * members of those groups. Guests (identity-pool unauthenticated IAM credentials) are further
 * limited to the root fields their allow-list names. Rules are computed once per schema.
 */
import { GraphQLObjectType, isObjectType, type DirectiveNode, type GraphQLSchema } from 'graphql';
import type { AuthMode } from '../app/index.ts';
import type { AuthContext, CognitoIdentity } from '../auth/index.ts';

export interface FieldRule {
  readonly modes: ReadonlySet<AuthMode>;
  /** Per-mode group restriction for user pools; `undefined` = any user of the pool. */
  readonly cognitoGroups?: readonly string[];
}

const DIRECTIVE_MODES: Record<string, AuthMode> = {
  aws_api_key: 'API_KEY',
  aws_iam: 'AWS_IAM',
  aws_oidc: 'OPENID_CONNECT',
  aws_lambda: 'AWS_LAMBDA',
  aws_cognito_user_pools: 'AMAZON_COGNITO_USER_POOLS',
  aws_auth: 'AMAZON_COGNITO_USER_POOLS',
};

function ruleFrom(directives: readonly DirectiveNode[] | undefined): FieldRule | undefined {
  const modes = new Set<AuthMode>();
  let groups: string[] | undefined;
  for (const d of directives ?? []) {
    const mode = DIRECTIVE_MODES[d.name.value];
    if (mode === undefined) continue;
    modes.add(mode);
    const arg = d.arguments?.find((a) => a.name.value === 'cognito_groups');
    if (arg !== undefined && arg.value.kind === 'ListValue') {
      groups = [...(groups ?? []), ...arg.value.values.flatMap((v) => (v.kind === 'StringValue' ? [v.value] : []))];
    }
  }
  if (modes.size === 0) return undefined;
  return groups === undefined ? { modes } : { modes, cognitoGroups: groups };
}

export type RuleTable = ReadonlyMap<GraphQLObjectType, ReadonlyMap<string, FieldRule>>;

export function buildRuleTable(schema: GraphQLSchema, defaultMode: AuthMode): RuleTable {
  const table = new Map<GraphQLObjectType, Map<string, FieldRule>>();
  const fallback: FieldRule = { modes: new Set([defaultMode]) };
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const typeRule = ruleFrom(type.astNode?.directives) ?? fallback;
    const fields = new Map<string, FieldRule>();
    for (const field of Object.values(type.getFields())) fields.set(field.name, ruleFrom(field.astNode?.directives) ?? typeRule);
    table.set(type, fields);
  }
  return table;
}

/** `Query.*`-style patterns to a matcher. */
export function allowListMatcher(patterns: readonly string[]): (typeName: string, fieldName: string) => boolean {
  const res = patterns.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  return (typeName, fieldName) => {
    const name = `${typeName}.${fieldName}`;
    return res.some((r) => r.test(name));
  };
}

export function isAllowed(rule: FieldRule | undefined, auth: AuthContext): boolean {
  if (rule === undefined) return true;
  if (!rule.modes.has(auth.mode)) return false;
  if (auth.mode === 'AMAZON_COGNITO_USER_POOLS' && rule.cognitoGroups !== undefined) {
    const groups = (auth.identity as CognitoIdentity | null)?.groups ?? [];
    return groups.some((g) => rule.cognitoGroups?.includes(g));
  }
  return true;
}
