/** Evaluates a parsed intrinsic call: arguments first (paths, nested calls), then the function. */
import { intrinsicFailure } from '../errors.ts';
import type { Json } from '../json.ts';
import { evaluatePath, type PathScope } from '../jsonpath/evaluate.ts';
import type { JsonPath } from '../jsonpath/parse.ts';
import { INTRINSICS, type IntrinsicEnv, type IntrinsicValue } from './functions.ts';
import type { IntrinsicArg, IntrinsicCall } from './parse.ts';

/**
 * `onMissingPath` decides what a path argument that finds nothing means (the caller knows the
 * field being evaluated, which AWS names in the error).
 */
export function evaluateIntrinsic(call: IntrinsicCall, scope: PathScope, env: IntrinsicEnv, onMissingPath: (path: JsonPath) => never): Json {
  const impl = INTRINSICS[call.name];
  if (impl === undefined) throw intrinsicFailure(`The intrinsic function ${call.name} does not exist`);
  const args = call.args.map((arg) => argumentValue(arg, scope, env, onMissingPath));
  return impl(args, env);
}

function argumentValue(arg: IntrinsicArg, scope: PathScope, env: IntrinsicEnv, onMissingPath: (path: JsonPath) => never): IntrinsicValue {
  switch (arg.kind) {
    case 'string':
      return { value: arg.value, raw: arg.raw };
    case 'literal':
      return { value: arg.value };
    case 'path': {
      const result = evaluatePath(arg.path, scope);
      if (!result.found) return onMissingPath(arg.path);
      return { value: result.value };
    }
    case 'call':
      return { value: evaluateIntrinsic(arg.call, scope, env, onMissingPath) };
  }
}
