/**
 * Backend-only root fields (`api.backendOnly`): the pass-through mutations a back end calls to
 * trigger subscriptions, kept out of the schema every other caller sees. A caller who is not the
 * back end gets the *public schema*: the same types with those root fields removed, and the types
 * only they reached left out too. So introspection does not list them, and a document naming one
 * fails validation as a field that does not exist (what a client would see on an API that never
 * had it), rather than an authorization error that tells the field is there.
 *
 * The back end is a caller signing with one of the config's access keys (SigV4, not a guest's
 * temporary credentials) and the server's own principals (bus rules' AppSync targets).
 */
import {
  GraphQLInterfaceType,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLInputObjectType,
  GraphQLUnionType,
  getNamedType,
  isInterfaceType,
  type GraphQLNamedType,
} from 'graphql';
import { merged, SwitchboardError } from '../core/index.ts';
import type { AuthContext } from '../auth/index.ts';

/** Whether a caller sees the whole schema: SigV4 with a configured access key (not guest credentials). */
export function isBackendCaller(auth: AuthContext): boolean {
  return auth.mode === 'AWS_IAM' && auth.guestAllow === undefined;
}

/**
 * `schema` without the root fields named in `hidden` (`"Mutation.notify"`), and without the types
 * nothing else reaches. `where` names the config entry in errors (`<file>: api.backendOnly`).
 */
export function publicSchemaOf(schema: GraphQLSchema, hidden: readonly string[], where: string): GraphQLSchema {
  const roots = { Query: schema.getQueryType(), Mutation: schema.getMutationType(), Subscription: schema.getSubscriptionType() };
  const byRoot = new Map<string, Set<string>>();
  for (const entry of hidden) {
    const [rootName = '', fieldName = ''] = entry.split('.');
    const root = roots[rootName as keyof typeof roots];
    if (root == null || root.getFields()[fieldName] === undefined) {
      throw new SwitchboardError('SB_CONFIG_INVALID', `${where}: "${entry}" is not a field of the schema's ${rootName} type (expected "<Root>.<field>" naming a field of Query, Mutation or Subscription)`);
    }
    let fields = byRoot.get(rootName);
    if (fields === undefined) byRoot.set(rootName, (fields = new Set()));
    fields.add(fieldName);
  }
  const trimmed = (root: GraphQLObjectType | null | undefined, rootName: string): GraphQLObjectType | undefined => {
    if (root == null) return undefined;
    const drop = byRoot.get(rootName);
    if (drop === undefined) return root;
    const config = root.toConfig();
    const fields = Object.fromEntries(Object.entries(config.fields).filter(([name]) => !drop.has(name)));
    if (Object.keys(fields).length === 0) return undefined;
    return new GraphQLObjectType(merged(config, { fields }));
  };
  const query = trimmed(roots.Query, 'Query');
  if (query === undefined) throw new SwitchboardError('SB_CONFIG_INVALID', `${where}: hiding every Query field leaves the public schema without a query root; keep at least one`);
  const mutation = trimmed(roots.Mutation, 'Mutation');
  const subscription = trimmed(roots.Subscription, 'Subscription');
  const config = schema.toConfig();
  return new GraphQLSchema(merged(config, { query, mutation, subscription, types: [...reachableTypes(schema, [query, mutation, subscription])] }));
}

/** The named types reached from `roots` through fields, arguments, input fields, interfaces and unions, plus every interface's implementations. */
function reachableTypes(schema: GraphQLSchema, roots: readonly (GraphQLObjectType | undefined)[]): Set<GraphQLNamedType> {
  const seen = new Set<GraphQLNamedType>();
  const pending: GraphQLNamedType[] = roots.filter((r): r is GraphQLObjectType => r !== undefined);
  const visit = (type: GraphQLNamedType): void => {
    if (!seen.has(type)) pending.push(type);
  };
  while (pending.length > 0) {
    const type = pending.pop() as GraphQLNamedType;
    if (seen.has(type)) continue;
    seen.add(type);
    if (type instanceof GraphQLObjectType || type instanceof GraphQLInterfaceType) {
      for (const field of Object.values(type.getFields())) {
        visit(getNamedType(field.type));
        for (const arg of field.args) visit(getNamedType(arg.type));
      }
      for (const iface of type.getInterfaces()) visit(iface);
      if (isInterfaceType(type)) for (const impl of schema.getPossibleTypes(type)) visit(impl);
    } else if (type instanceof GraphQLUnionType) {
      for (const member of type.getTypes()) visit(member);
    } else if (type instanceof GraphQLInputObjectType) {
      for (const field of Object.values(type.getFields())) visit(getNamedType(field.type));
    }
  }
  return seen;
}
