/** The shapes every compiled expression shares, and the request fields they are compiled from. */
import type { AttributeValue } from '../attribute-value.ts';

export interface ExpressionInput {
  readonly expression: string;
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, AttributeValue>>;
}

/** Which placeholders an expression referenced, for the request-wide "unused" check. */
export interface Compiled {
  readonly usedNames: ReadonlySet<string>;
  readonly usedValues: ReadonlySet<string>;
}
