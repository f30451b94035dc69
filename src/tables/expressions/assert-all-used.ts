/** DynamoDB refuses a request whose placeholders are not all referenced by one of its expressions. */
import type { AttributeValue } from '../attribute-value.ts';
import type { Compiled } from './compiled.ts';
import { ExpressionError } from './expression-error.ts';

/**
 * Throws DynamoDB's "Value provided in ExpressionAttributeNames unused in expressions: keys: {#a, #b}"
 * (names are checked first, then values) when `names`/`values` hold entries no expression used.
 */
export function assertAllUsed(
  names: Readonly<Record<string, string>> | undefined,
  values: Readonly<Record<string, AttributeValue>> | undefined,
  compiled: readonly Compiled[],
): void {
  const unusedNames = Object.keys(names ?? {}).filter((k) => !compiled.some((c) => c.usedNames.has(k)));
  if (unusedNames.length > 0) {
    throw new ExpressionError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`);
  }
  const unusedValues = Object.keys(values ?? {}).filter((k) => !compiled.some((c) => c.usedValues.has(k)));
  if (unusedValues.length > 0) {
    throw new ExpressionError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`);
  }
}
