/**
 * graphql-java (AppSync) reports a literal of the wrong type by argument, with the offending
 * value printed as graphql-java's AST `toString()`:
 * `argument 'input.createdAt' with value 'StringValue{value='2019'}' is not a valid 'AWSDateTime'`.
 * graphql-js only names the value node; this finds the argument that holds it and rebuilds that
 * sentence, so clients matching on AppSync's text see the same words.
 */
import { Kind, visit, type ArgumentNode, type ASTNode, type DocumentNode, type ObjectValueNode, type ValueNode } from 'graphql';

/** graphql-java's `toString()` of a value literal. */
export function javaValueText(value: ValueNode): string {
  switch (value.kind) {
    case Kind.STRING:
      return `StringValue{value='${value.value}'}`;
    case Kind.INT:
      return `IntValue{value=${value.value}}`;
    case Kind.FLOAT:
      return `FloatValue{value=${value.value}}`;
    case Kind.BOOLEAN:
      return `BooleanValue{value=${String(value.value)}}`;
    case Kind.ENUM:
      return `EnumValue{name='${value.value}'}`;
    case Kind.NULL:
      return 'NullValue{}';
    case Kind.VARIABLE:
      return `VariableReference{name='${value.name.value}'}`;
    case Kind.LIST:
      return `ArrayValue{values=[${value.values.map(javaValueText).join(', ')}]}`;
    case Kind.OBJECT:
      return `ObjectValue{objectFields=[${value.fields.map((f) => `ObjectField{name='${f.name.value}', value=${javaValueText(f.value)}}`).join(', ')}]}`;
  }
}

interface Located {
  /** `input.products[1].name` */
  readonly path: string;
  readonly value: ValueNode;
  /** Set when the target is an object field node: the object holding it. */
  readonly object?: ObjectValueNode;
}

function within(outer: ASTNode, inner: ASTNode): boolean {
  return outer.loc !== undefined && inner.loc !== undefined && inner.loc.start >= outer.loc.start && inner.loc.end <= outer.loc.end;
}

function locate(value: ValueNode, target: ASTNode, path: string): Located | undefined {
  if (value === target) return { path, value };
  if (value.kind === Kind.OBJECT) {
    for (const field of value.fields) {
      if (field === target) return { path, value, object: value };
      if (within(field, target)) return locate(field.value, target, `${path}.${field.name.value}`);
    }
  } else if (value.kind === Kind.LIST) {
    for (const [i, item] of value.values.entries()) if (within(item, target)) return locate(item, target, `${path}[${i}]`);
  }
  return undefined;
}

function locateInDocument(document: DocumentNode, target: ASTNode): Located | undefined {
  let found: Located | undefined;
  visit(document, {
    Argument(node: ArgumentNode) {
      if (found === undefined && within(node.value, target)) found = locate(node.value, target, node.name.value);
      return false;
    },
  });
  return found;
}

function namedType(typeText: string): string {
  return typeText.replace(/[[\]!]/g, '');
}

/** The graphql-java sentence for a graphql-js literal-coercion message, or `undefined` when it is not one. */
export function argumentValueMessage(document: DocumentNode, target: ASTNode | undefined, message: string): string | undefined {
  if (target === undefined) return undefined;
  let expected: string | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^(\w+) cannot represent/.exec(message)) !== null) expected = m[1];
  else if ((m = /^Expected value of type "([^"]+)"/.exec(message)) !== null) expected = namedType(m[1] ?? '');
  else if ((m = /^Value "[^"]*" does not exist in "(\w+)" enum/.exec(message)) !== null) expected = m[1];
  else if ((m = /^Invalid (\w+) (?:value|literal)\b/.exec(message)) !== null) expected = m[1];
  const missing = /^Field "\w+\.(\w+)" of required type "[^"]+" was not provided\./.exec(message);
  const unknown = /^Field "(\w+)" is not defined by type "(\w+)"\./.exec(message);
  if (expected === undefined && missing === null && unknown === null) return undefined;
  const at = locateInDocument(document, target);
  if (at === undefined) return undefined;
  const head = `argument '${at.path}' with value '${javaValueText(at.value)}'`;
  if (missing !== null) return `${head} is missing required fields '[${missing[1]}]'`;
  if (unknown !== null) return `${head} contains a field not in '${unknown[2]}': '${unknown[1]}'`;
  return `${head} is not a valid '${expected}'`;
}
