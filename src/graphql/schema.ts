/**
 * Builds the executable schema from an AppSync SDL file. What AppSync accepts and graphql-js does
 * not is bridged here, each case on purpose:
 * - the AWS scalars and directives are declared implicitly (declaring them again is tolerated);
 * - an empty argument list `onCreateFlight(): Flight` (seed 000) is accepted;
 * - a schema without a `Query` type (seed 003) gets a placeholder `Query { _empty: String }`,
 *   because graphql-js cannot execute without a query root.
 * SDL errors are reported as `<file>:<line>:<column> <message>`.
 */
import { buildASTSchema, GraphQLError, GraphQLScalarType, Kind, parse, validateSchema, type DefinitionNode, type DocumentNode, type GraphQLSchema } from 'graphql';
import { SwitchboardError } from '../core/index.ts';
import { validateSDL } from 'graphql/validation/validate.js';
import { AWS_SCALARS } from './scalars.ts';

const DIRECTIVES = `
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @aws_publish(subscriptions: [String]) on FIELD_DEFINITION
directive @aws_api_key on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_iam on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_oidc on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_lambda on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_cognito_user_pools(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION | INTERFACE
directive @aws_auth(cognito_groups: [String]) on OBJECT | FIELD_DEFINITION | INTERFACE
`;

export const PLACEHOLDER_QUERY_FIELD = '_empty';

/**
 * `name(): Type` → `name  : Type`, outside strings and comments. The parentheses become spaces and
 * newlines stay, so every later line and column still points at the user's text.
 */
function dropEmptyArgumentLists(sdl: string): string {
  return sdl.replace(/("""[\s\S]*?"""|"(?:[^"\\\n]|\\.)*"|#[^\n]*)|\(\s*\)(?=\s*:)/g, (match, keep: string | undefined) => keep ?? match.replace(/[^\n]/g, ' '));
}

function fail(file: string, error: unknown): never {
  if (error instanceof GraphQLError) {
    const loc = error.locations?.[0];
    throw new SwitchboardError('SB_SCHEMA_INVALID', `${file}${loc ? `:${loc.line}:${loc.column}` : ''} ${error.message}`, { cause: error });
  }
  throw new SwitchboardError('SB_SCHEMA_INVALID', `${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}

export function buildAppSchema(sdl: string, file: string): GraphQLSchema {
  let user: DocumentNode;
  try {
    user = parse(dropEmptyArgumentLists(sdl));
  } catch (error) {
    fail(file, error);
  }
  const declared = new Set(user.definitions.flatMap((d) => ('name' in d && d.name !== undefined ? [d.name.value] : [])));
  const userScalarNames = user.definitions.filter((d) => d.kind === Kind.SCALAR_TYPE_DEFINITION).map((d) => (d as { name: { value: string } }).name.value);
  const custom = userScalarNames.filter((n) => !AWS_SCALARS.some((s) => s.name === n));
  if (custom.length > 0) fail(file, new Error(`custom scalars are not supported by AppSync: ${custom.join(', ')} (use one of the AWS scalars)`));
  const preludeText = [
    ...AWS_SCALARS.filter((s) => !declared.has(s.name)).map((s) => `scalar ${s.name}`),
    ...DIRECTIVES.trim().split('\n').filter((line) => !declared.has(/@(\w+)/.exec(line)?.[1] ?? '')),
  ].join('\n');
  const prelude = parse(preludeText);
  const hasSchemaQuery = user.definitions.some((d) => d.kind === Kind.SCHEMA_DEFINITION && d.operationTypes.some((o) => o.operation === 'query'));
  const extra: DefinitionNode[] = [];
  if (!declared.has('Query') && !hasSchemaQuery) extra.push(...parse(`type Query { ${PLACEHOLDER_QUERY_FIELD}: String }`).definitions);
  const doc: DocumentNode = { kind: Kind.DOCUMENT, definitions: [...prelude.definitions, ...extra, ...user.definitions] };
  // buildASTSchema would throw these as one plain Error without locations; checked first, the
  // first one keeps its `<line>:<column>` (an unknown type name, a duplicate field).
  const sdlProblems = validateSDL(doc);
  if (sdlProblems[0] !== undefined) fail(file, sdlProblems[0]);
  let schema: GraphQLSchema;
  try {
    schema = buildASTSchema(doc, { assumeValidSDL: true });
  } catch (error) {
    fail(file, error);
  }
  const problems = validateSchema(schema);
  if (problems.length > 0) fail(file, problems[0]);
  for (const impl of AWS_SCALARS) {
    const type = schema.getType(impl.name);
    if (type instanceof GraphQLScalarType) {
      Object.assign(type, { serialize: impl.serialize, parseValue: impl.parseValue, parseLiteral: impl.parseLiteral, description: impl.description });
    }
  }
  return schema;
}
