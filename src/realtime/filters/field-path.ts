/**
 * Reads a dotted `fieldName` from a published object, compiled once per rule. `undefined` means
 * the field is absent. Only plain objects are walked: a list on the path has no named fields
 * (AppSync does not filter into lists), so the field is absent.
 */
export type FieldReader = (payload: Readonly<Record<string, unknown>>) => unknown;

type Step = (value: unknown) => unknown;

export function compileFieldPath(fieldName: string): FieldReader {
  const [first, ...rest] = fieldName.split('.');
  const head = own(first ?? '');
  if (rest.length === 0) return head;
  const steps: Step[] = rest.map((key) => {
    const read = own(key);
    return (value) => (isRecord(value) ? read(value) : undefined);
  });
  return (payload) => {
    let value = head(payload);
    for (const step of steps) {
      if (value === undefined) return undefined;
      value = step(value);
    }
    return value;
  };
}

export function isRecord(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A plain property read, except for names `Object.prototype` also has (`constructor`,
 * `toString`, `__proto__`…): those must be own properties, or every payload would "have" them.
 * The check is decided here, once, so ordinary names pay nothing per event.
 */
function own(key: string): FieldReader {
  if (key in Object.prototype) return (o) => (Object.hasOwn(o, key) ? o[key] : undefined);
  return (o) => o[key];
}
