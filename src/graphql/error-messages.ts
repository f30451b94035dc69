/**
 * AppSync runs graphql-java, so its validation and coercion messages read differently from
 * graphql-js's. Clients and tests match on them; this maps the graphql-js messages we produce to
 * AppSync's wording (`Validation error of type FieldUndefined: Field 'x' in type 'Query' is
 * undefined @ 'x'`). Unmapped rules keep graphql-js's text under a graphql-java style prefix.
 */
import { isInterfaceType, isNonNullType, isObjectType, Kind, type ASTNode, type DocumentNode, type FieldNode, type GraphQLSchema, type SelectionSetNode } from 'graphql';

/** The field path (`getPost/comments/badfield`) of the field node that holds `target`. */
export function fieldPath(document: DocumentNode, target: ASTNode | undefined): string | undefined {
  if (target === undefined) return undefined;
  const visit = (set: SelectionSetNode | undefined, prefix: string[]): string[] | undefined => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        const path = [...prefix, sel.name.value];
        if (sel === target || containsNode(sel, target, false)) return visit(sel.selectionSet, path) ?? path;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const found = visit(sel.selectionSet, prefix);
        if (found) return found;
      }
    }
    return undefined;
  };
  for (const def of document.definitions) {
    if (def.kind === Kind.OPERATION_DEFINITION || def.kind === Kind.FRAGMENT_DEFINITION) {
      const found = visit(def.selectionSet, []);
      if (found) return found.join('/');
    }
  }
  return undefined;
}

function containsNode(field: FieldNode, target: ASTNode, deep: boolean): boolean {
  if (target.loc === undefined || field.loc === undefined) return false;
  const inside = target.loc.start >= field.loc.start && target.loc.end <= field.loc.end;
  if (!inside) return false;
  if (deep) return true;
  // The target belongs to this field itself (its name or arguments), not to a nested selection.
  return field.selectionSet === undefined || target.loc.end <= (field.selectionSet.loc?.start ?? Infinity) || inside;
}

const RULES: readonly [RegExp, (m: RegExpExecArray, at: string) => string][] = [
  [/^Cannot query field "(\w+)" on type "(\w+)"\./, (m, at) => `Validation error of type FieldUndefined: Field '${m[1]}' in type '${m[2]}' is undefined${at}`],
  [/^Unknown argument "(\w+)" on field "[\w.]+"\./, (m, at) => `Validation error of type UnknownArgument: Unknown field argument ${m[1]}${at}`],
  [/^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\./, (m, at) => `Validation error of type MissingFieldArgument: Missing field argument ${m[2]}${at}`],
  [/^Field "(\w+)" of type "([^"]+)" must have a selection of subfields\./, (m, at) => `Validation error of type SubSelectionRequired: Sub selection required for type ${m[2]} of field ${m[1]}${at}`],
  [/^Field "(\w+)" must not have a selection since type "([^"]+)" has no subfields\./, (m, at) => `Validation error of type SubSelectionNotAllowed: Sub selection not allowed on leaf type ${m[2]} of field ${m[1]}${at}`],
  [/^Unknown type "(\w+)"\./, (m) => `Validation error of type UnknownType: Unknown type ${m[1]}`],
  [/^Variable "\$(\w+)" is never used/, (m) => `Validation error of type UnusedVariable: Unused variable ${m[1]}`],
  [/^Variable "\$\w+" of type "([^"]+)" used in position expecting type "([^"]+)"\./, (m, at) => `Validation error of type VariableTypeMismatch: Variable type '${m[1]}' doesn't match expected type '${m[2]}'${at}`],
  [/^Variable "\$(\w+)" is not defined/, (m, at) => `Validation error of type UndefinedVariable: Undefined variable ${m[1]}${at}`],
  [/^Cannot spread fragment "\w+" within itself/, (_m, at) => `Validation error of type FragmentCycle: Fragment cycles not allowed${at}`],
  [/^Unknown fragment "(\w+)"\./, (m) => `Validation error of type UndefinedFragment: Undefined fragment ${m[1]}`],
  [/^Fragment "(\w+)" is never used\./, (m) => `Validation error of type UnusedFragment: Unused fragment ${m[1]}`],
  [/^There can be only one operation named "(\w+)"\./, (m) => `Validation error of type DuplicateOperationName: There can be only one operation named ${m[1]}`],
  [/^Unknown directive "@(\w+)"\./, (m) => `Validation error of type UnknownDirective: Unknown directive ${m[1]}`],
  [/^(Expected value of type|\w+ cannot represent|Enum "|Value ")/, (m, at) => `Validation error of type WrongType: ${m.input}${at}`],
];

/** `wrongType`: the argument sentence from `argumentValueMessage`, when the error is a literal of the wrong type. */
export function validationMessage(message: string, path: string | undefined, wrongType?: string): string {
  const at = path === undefined ? '' : ` @ '${path}'`;
  if (wrongType !== undefined) return `Validation error of type WrongType: ${wrongType}${at}`;
  for (const [re, format] of RULES) {
    const m = re.exec(message);
    if (m !== null) return format(m, at);
  }
  return `Validation error: ${message}${at}`;
}

/** Variable coercion errors raised before execution. */
export function variableMessage(message: string): string {
  let m = /^Variable "\$(\w+)" of required type "([^"]+)" was not provided\./.exec(message);
  if (m !== null) return `Variable '${m[1]}' has coerced Null value for NonNull type '${m[2]}'`;
  m = /^Variable "\$(\w+)" of non-null type "([^"]+)" must not be null\./.exec(message);
  if (m !== null) return `Variable '${m[1]}' has coerced Null value for NonNull type '${m[2]}'`;
  m = /^Variable "\$(\w+)" got invalid value (.*)$/s.exec(message);
  if (m !== null) return `Variable '${m[1]}' has an invalid value: ${m[2]}`;
  return message;
}

/**
 * graphql-js non-null violations in graphql-java's words: graphql-java names the field's type, not
 * the field, and writes list indexes as `[i]`:
 * `Cannot return null for non-nullable type: 'ID' within parent 'Project' (/createProject/members[0]/id)`.
 * Without `schema` the type cannot be looked up and the field name stands in for it.
 */
export function executionMessage(message: string, path: readonly (string | number)[] | undefined, schema?: GraphQLSchema): string {
  const m = /^Cannot return null for non-nullable field (\w+)\.(\w+)\.$/.exec(message);
  if (m === null) return message;
  const [, parent = '', field = ''] = m;
  const parentType = schema?.getType(parent);
  const fieldType = parentType !== undefined && (isObjectType(parentType) || isInterfaceType(parentType)) ? parentType.getFields()[field]?.type : undefined;
  const typeText = fieldType !== undefined && isNonNullType(fieldType) ? String(fieldType.ofType) : field;
  const pathText = (path ?? []).map((p) => (typeof p === 'number' ? `[${p}]` : `/${p}`)).join('');
  return `Cannot return null for non-nullable type: '${typeText}' within parent '${parent}' (${pathText})`;
}
